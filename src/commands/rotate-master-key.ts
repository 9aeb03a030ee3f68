import type { Kysely } from 'kysely';
import { resealTotpSecrets } from '../auth/totp.js';
import type { Keyring } from '../crypto/keyring.js';
import type { DB } from '../db/schema.js';
import { resealSubscriptionSecrets } from './subscription-secrets.js';

/** What one run of `vigia keys rotate` changed. */
export interface RotationResult {
  rewrapped: number;
  alreadyCurrent: number;
  totpSecrets: number;
  subscriptions: number;
  /** Organizations given a new data key version (only when asked). */
  newDataKeys: number;
}

/**
 * Brings everything that depends on the master key under the keyring's current one: organizations'
 * data keys are re-wrapped (what they seal, webhook secrets among it, is untouched), and what is sealed
 * directly under the master key is sealed again — two-factor secrets and alert subscribers' addresses
 * (with their look-up HMAC and unsubscribe token). Each step is idempotent, row by row, so servers keep
 * running and a second run finishes an interrupted one. The one list `vigia keys rotate` runs.
 */
export async function rotateMasterKey(db: Kysely<DB>, keyring: Keyring, options: { newDataKeys: boolean }): Promise<RotationResult> {
  const { rewrapped, alreadyCurrent } = await keyring.rewrapAll(db);
  const totpSecrets = await resealTotpSecrets(db, keyring);
  const subscriptions = await resealSubscriptionSecrets(db, keyring);
  const newDataKeys = options.newDataKeys ? await keyring.addDataKeyVersions(db) : 0;
  return { rewrapped, alreadyCurrent, totpSecrets, subscriptions, newDataKeys };
}
