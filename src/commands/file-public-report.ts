import { createHmac } from 'node:crypto';
import { appendAudit } from '../audit/audit-log.js';
import type { Keyring } from '../crypto/keyring.js';
import type { Database } from '../db/client.js';
import { countHourlyHit, purgeOldHits, spendChallenge } from '../db/repositories/intake.repository.js';
import { checkSolution } from '../domain/proof-of-work.js';
import { hashReceiptSecret } from '../domain/receipts.js';
import type { ReportBase } from '../domain/report.js';
import type { Config } from '../server/config.js';
import { AppError } from '../server/errors.js';
import { assertReportCodes, findReplay, insertReport, type FiledReport } from './report-intake.js';

/** What an anonymous report request carries besides the report itself. */
export interface FilePublicReportOptions {
  database: Database;
  keyring: Keyring;
  config: Config;
  report: ReportBase;
  organizationId: string | undefined;
  pow: { challenge: string; nonce: string };
  receiptSecret: string;
  idempotencyKey: string | null;
  /** The client address: used only through a keyed hash, never stored or logged. */
  ip: string;
}

/** The purpose under which proof-of-work challenges are signed. */
export const POW_KEY_PURPOSE = 'public-report-pow';

/**
 * Files an anonymous report: replays an earlier identical request, else checks the proof of work and
 * the per-address hourly limit, and stores the report sealed under the receiving network's key. The audit
 * entry says a public report arrived and nothing about who sent it (no address, no browser).
 */
export async function filePublicReport(options: FilePublicReportOptions): Promise<FiledReport> {
  const { database, keyring, config, report } = options;
  try {
    return await database.transaction(async (trx) => {
      const replay = await findReplay(trx, options.idempotencyKey, options.receiptSecret);
      if (replay) return replay;

      // The proof of work first: it is the cheapest check and the one a flood fails.
      if (config.intake.powBits > 0) {
        const checked = checkSolution(keyring.derivedKey(POW_KEY_PURPOSE), options.pow.challenge, options.pow.nonce, config.intake.powBits, new Date());
        if (!checked.ok) throw powInvalid(checked.reason);
        if (!(await spendChallenge(trx, checked.challenge.id, checked.challenge.expiresAt))) throw powInvalid('spent');
      }
      const organizationId = await receivingOrganization(trx, options.organizationId);
      const hit = await countHourlyHit(trx, addressBucket(keyring, 'report', options.ip), config.intake.reportsPerHourPerAddress);
      if (!hit.allowed) {
        throw new AppError('RATE_LIMITED', 'Too many reports from this connection in the last hour: try again later.', {
          retryAfterSeconds: hit.retryAfterSeconds,
        });
      }
      await assertReportCodes(trx, report);
      const filed = await insertReport(trx, keyring, {
        organizationId,
        channel: 'public',
        base: report,
        idempotencyKey: options.idempotencyKey,
        secretHash: hashReceiptSecret(options.receiptSecret),
        submittedBy: null,
      });
      await appendAudit(trx, {
        actorType: 'anonymous',
        organizationId,
        action: 'report.filed',
        subjectType: 'report',
        subjectId: filed.id,
        details: { channel: 'public' },
      });
      if (Math.random() < 0.01) await purgeOldHits(trx);
      return filed;
    });
  } catch (error) {
    // Two identical requests at once: the second loses the unique key and answers as a replay.
    if (isIdempotencyKeyRace(error)) {
      const replay = await findReplay(database.db, options.idempotencyKey, options.receiptSecret);
      if (replay) return replay;
    }
    throw error;
  }
}

/** The network a public report goes to: the one named, or the only one that takes public reports. */
async function receivingOrganization(trx: Parameters<typeof countHourlyHit>[0], requested: string | undefined): Promise<string> {
  const accepting = await trx
    .selectFrom('organizations')
    .select('id')
    .where('accepts_public_reports', '=', true)
    .where('archived_at', 'is', null)
    .execute();
  if (requested) {
    if (accepting.some((o) => o.id === requested)) return requested;
    throw new AppError('VALIDATION_FAILED', 'Invalid body: organizationId: names no organization that takes public reports', [
      { location: 'body', field: 'organizationId', message: 'names no organization that takes public reports' },
    ]);
  }
  if (accepting.length === 1) return accepting[0]!.id;
  if (accepting.length === 0) throw new AppError('SERVICE_UNAVAILABLE', 'No organization takes public reports on this instance yet.');
  throw new AppError('VALIDATION_FAILED', 'Invalid body: organizationId: choose which network receives the report', [
    { location: 'body', field: 'organizationId', message: 'choose which network receives the report (GET /api/v1/public/intake)' },
  ]);
}

/** A throttle bucket for an address: a keyed hash, so the table never holds an address. */
export function addressBucket(keyring: Keyring, purpose: string, ip: string): string {
  return `${purpose}:${createHmac('sha256', keyring.derivedKey('intake-address')).update(ip).digest('base64url').slice(0, 32)}`;
}

function powInvalid(reason: string): AppError {
  return new AppError('POW_INVALID', 'The proof-of-work challenge is expired, already used or not solved: get a new one and solve it.', { reason });
}

function isIdempotencyKeyRace(error: unknown): boolean {
  const e = error as { code?: unknown; constraint?: unknown; message?: unknown } | undefined;
  return e?.code === '23505' && String(e.constraint ?? e.message ?? '').includes('idempotency_key');
}
