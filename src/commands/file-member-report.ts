import { appendAudit } from '../audit/audit-log.js';
import type { Keyring } from '../crypto/keyring.js';
import type { Database } from '../db/client.js';
import { hashReceiptSecret, newReceiptSecret } from '../domain/receipts.js';
import type { MemberReportExtra, ReportBase } from '../domain/report.js';
import type { Actor } from '../policies/actor.js';
import { canFileReport } from '../policies/report.policy.js';
import { visibleOrganizationIds } from '../policies/organization.policy.js';
import { AppError } from '../server/errors.js';
import { auditSource, type RequestContext } from './organization-access.js';
import { assertReportCodes, findReplay, insertReport, type FiledReport } from './report-intake.js';

/**
 * Files a report by a member of a shelter (or through its API token) into that organization's inbox. The
 * member gets a receipt like anyone else, so the same status page serves them.
 */
export async function fileMemberReport(options: {
  database: Database;
  keyring: Keyring;
  actor: Actor;
  organizationId: string;
  report: ReportBase;
  extra: MemberReportExtra;
  idempotencyKey: string | null;
  receiptSecret?: string;
  context?: RequestContext;
}): Promise<FiledReport & { secret: string | null }> {
  const { database, keyring, actor, organizationId } = options;
  if (visibleOrganizationIds(actor, [organizationId]).length === 0) {
    throw new AppError('NOT_FOUND', 'There is no such organization.', { organizationId });
  }
  if (!canFileReport(actor, organizationId)) {
    throw new AppError('FORBIDDEN', 'You may not file reports for this organization.', { organizationId });
  }
  const secret = options.receiptSecret ?? newReceiptSecret();
  return database.transaction(async (trx) => {
    const replay = await findReplay(trx, options.idempotencyKey, secret);
    if (replay) return { ...replay, secret: options.receiptSecret ? null : secret };
    await assertReportCodes(trx, options.report, options.extra);
    const filed = await insertReport(trx, keyring, {
      organizationId,
      channel: 'member',
      base: options.report,
      extra: options.extra,
      idempotencyKey: options.idempotencyKey,
      secretHash: hashReceiptSecret(secret),
      submittedBy: actor.kind === 'user' ? actor.userId : null,
    });
    await appendAudit(trx, {
      ...auditSource(actor, options.context),
      organizationId,
      action: 'report.filed',
      subjectType: 'report',
      subjectId: filed.id,
      details: { channel: 'member' },
    });
    // A secret the client chose is theirs already; one made here is shown once.
    return { ...filed, secret: options.receiptSecret ? null : secret };
  });
}
