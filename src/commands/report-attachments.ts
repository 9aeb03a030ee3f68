import type { Kysely } from 'kysely';
import type { Keyring } from '../crypto/keyring.js';
import type { Database } from '../db/client.js';
import { findEvidence } from '../db/repositories/evidence.repository.js';
import type { DB } from '../db/schema.js';
import { receiptSecretMatches } from '../domain/receipts.js';
import type { EvidenceStore } from '../evidence/evidence-store.js';
import { ANONYMOUS, type Actor } from '../policies/actor.js';
import { AppError } from '../server/errors.js';
import type { EvidenceGate } from './evidence-access.js';
import { isUuid, type RequestContext } from './organization-access.js';
import { authorizeReport, type ReportRow } from './report-access.js';
import { reportForReceipt } from './receipt-access.js';
import { startEvidenceUpload, type StartedUpload } from './start-evidence-upload.js';

/**
 * Files sent with a report: held by its receipt for an anonymous report (the same resumable, sealed
 * evidence upload members use on incidents, with the receipt in place of an account), or by the account
 * of the member who filed it. The uploads belong to the report
 * (`evidence.report_id`) until it is triaged; its complete ones then move onto the incident. For an
 * anonymous report nothing records who sent them: the audit entries are anonymous and carry no address.
 */

/** At most this many files per report (refused types do not count). */
export const MAX_ATTACHMENTS_PER_REPORT = 5;

/** Opens an attachment upload on the report the receipt opens, while the report is still open. */
export async function startReportAttachment(options: {
  database: Database;
  keyring: Keyring;
  store: EvidenceStore;
  maxBytes: number;
  receiptCode: string;
  secret: string;
  length: number;
  fileName?: string | undefined;
}): Promise<StartedUpload> {
  const { receiptCode, secret } = options;
  return startEvidenceUpload({
    database: options.database,
    keyring: options.keyring,
    store: options.store,
    maxBytes: options.maxBytes,
    actor: ANONYMOUS,
    length: options.length,
    fileName: options.fileName,
    target: async (trx) => {
      // Locked, so two uploads racing for the last place cannot both take it.
      const report = await reportForReceipt(trx, receiptCode, secret, { forUpdate: true });
      await assertTakesAttachments(trx, report);
      return { organizationId: report.organization_id, incidentId: null, reportId: report.id };
    },
  });
}

/**
 * Opens an attachment upload on a report the signed-in member filed, while it is still open: the same
 * upload as through a receipt, but the member is recorded as its uploader (the chain of custody then
 * names them), and its chunks go through the evidence routes (`memberUploadGate`).
 */
export async function startMemberReportAttachment(options: {
  database: Database;
  keyring: Keyring;
  store: EvidenceStore;
  maxBytes: number;
  actor: Actor;
  reportId: string;
  length: number;
  fileName?: string | undefined;
  context?: RequestContext;
}): Promise<StartedUpload> {
  const { actor, reportId } = options;
  return startEvidenceUpload({
    database: options.database,
    keyring: options.keyring,
    store: options.store,
    maxBytes: options.maxBytes,
    actor,
    length: options.length,
    fileName: options.fileName,
    context: options.context,
    target: async (trx) => {
      const report = await authorizeReport(trx, actor, 'attach', reportId, { forUpdate: true });
      await assertTakesAttachments(trx, report);
      return { organizationId: report.organization_id, incidentId: null, reportId: report.id };
    },
  });
}

/** Refuses a file for a report already triaged, or one that carries the most files it may. */
async function assertTakesAttachments(trx: Kysely<DB>, report: Pick<ReportRow, 'id' | 'status'>): Promise<void> {
  if (report.status !== 'new' && report.status !== 'needs_information') {
    throw new AppError('CONFLICT', 'This report no longer takes attachments.', { status: report.status });
  }
  const { count } = await trx
    .selectFrom('evidence')
    .select((eb) => eb.fn.countAll<number | string | bigint>().as('count'))
    .where('report_id', '=', report.id)
    .where('status', '<>', 'refused')
    .executeTakeFirstOrThrow();
  if (Number(count) >= MAX_ATTACHMENTS_PER_REPORT) {
    throw new AppError('CONFLICT', `A report may carry at most ${MAX_ATTACHMENTS_PER_REPORT} attachments.`, {
      maxAttachments: MAX_ATTACHMENTS_PER_REPORT,
    });
  }
}

/**
 * The gate for an attachment's chunks and offset: the secret of the receipt of the report it was sent
 * with. One 404 for an unknown id, evidence not sent with a report, and a wrong secret.
 */
export function receiptEvidenceGate(secret: string): EvidenceGate {
  return async (db: Kysely<DB>, evidenceId: string) => {
    const evidence = isUuid(evidenceId) ? await findEvidence(db, evidenceId) : undefined;
    const report = evidence?.report_id
      ? await db.selectFrom('reports').select('secret_hash').where('id', '=', evidence.report_id).executeTakeFirst()
      : undefined;
    if (!evidence || !report || !receiptSecretMatches(secret, report.secret_hash)) {
      throw new AppError('NOT_FOUND', 'No attachment matches this id and receipt secret.');
    }
    return evidence;
  };
}
