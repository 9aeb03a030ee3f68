import type { Keyring } from '../crypto/keyring.js';
import type { Database } from '../db/client.js';
import { countHourlyHit } from '../db/repositories/intake.repository.js';
import { issueChallenge } from '../domain/proof-of-work.js';
import type { Config } from '../server/config.js';
import { AppError } from '../server/errors.js';
import { addressBucket, POW_KEY_PURPOSE } from './file-public-report.js';

/** Challenges one address may fetch per hour, for each report it may file (solving can fail, pages reload). */
const CHALLENGES_PER_REPORT = 10;

/** Hands out a proof-of-work challenge, limited per address so challenges cannot be hoarded. */
export async function issueReportChallenge(options: {
  database: Database;
  keyring: Keyring;
  config: Config;
  ip: string;
}): Promise<{ challenge: string; bits: number; expiresAt: Date }> {
  const { database, keyring, config } = options;
  await database.transaction(async (trx) => {
    const limit = config.intake.reportsPerHourPerAddress * CHALLENGES_PER_REPORT;
    const hit = await countHourlyHit(trx, addressBucket(keyring, 'challenge', options.ip), limit);
    if (!hit.allowed) {
      throw new AppError('RATE_LIMITED', 'Too many requests from this connection in the last hour: try again later.', {
        retryAfterSeconds: hit.retryAfterSeconds,
      });
    }
  });
  const { token, challenge } = issueChallenge(keyring.derivedKey(POW_KEY_PURPOSE), config.intake.powBits, new Date());
  return { challenge: token, bits: challenge.bits, expiresAt: challenge.expiresAt };
}
