import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import { appendAudit } from '../audit/audit-log.js';
import type { Keyring } from '../crypto/keyring.js';
import type { Database } from '../db/client.js';
import type { ReportsTable } from '../db/schema.js';
import { normalizeReceiptCode, receiptSecretMatches } from '../domain/receipts.js';
import { publicReportStatus, type PublicReportStatus, type ReportAdditionSealed } from '../domain/report.js';
import { AppError } from '../server/errors.js';

/** What a receipt holder may learn: the status of their own report, and nothing else. */
export interface ReceiptStatus {
  receiptCode: string;
  status: PublicReportStatus;
  submittedAt: Date;
  updatedAt: Date;
  /** The documenter's question, when they asked for more information. */
  question: string | null;
  additions: { at: Date }[];
}

/** One answer for every wrong code or secret, so a guess learns nothing about which part was wrong. */
export function noSuchReceipt(): AppError {
  return new AppError('NOT_FOUND', 'No report matches this receipt code and secret.');
}

/** The report a receipt code and secret open; with `forUpdate`, locked until the transaction ends. */
export async function reportForReceipt(
  db: Database['db'],
  receiptCode: string,
  secret: string,
  options: { forUpdate?: boolean } = {},
): Promise<Selectable<ReportsTable>> {
  const code = normalizeReceiptCode(receiptCode);
  let query = db.selectFrom('reports').selectAll().where('receipt_code', '=', code ?? '');
  if (options.forUpdate) query = query.forUpdate();
  const report = code ? await query.executeTakeFirst() : undefined;
  if (!report || !receiptSecretMatches(secret, report.secret_hash)) throw noSuchReceipt();
  return report;
}

/** The status page of a receipt. */
export async function readReceiptStatus(options: {
  database: Database;
  keyring: Keyring;
  receiptCode: string;
  secret: string;
}): Promise<ReceiptStatus> {
  const { database, keyring } = options;
  const { db } = database;
  const report = await reportForReceipt(db, options.receiptCode, options.secret);
  const incident = report.incident_id
    ? await db.selectFrom('incidents').select('status').where('id', '=', report.incident_id).executeTakeFirst()
    : undefined;
  const additions = await db
    .selectFrom('report_additions')
    .select('created_at')
    .where('report_id', '=', report.id)
    .orderBy('created_at')
    .execute();
  const status = publicReportStatus(report.status, incident?.status ?? null);
  const question =
    status === 'needs_information' && report.resolution_sealed
      ? (await keyring.openJson<{ message: string }>(db, report.organization_id, `report-resolution:${report.id}`, report.resolution_sealed)).message
      : null;
  return {
    receiptCode: report.receipt_code,
    status,
    submittedAt: report.created_at,
    updatedAt: report.updated_at,
    question,
    additions: additions.map((a) => ({ at: a.created_at })),
  };
}

/**
 * Adds information to a report by its receipt, sealed like the report. A report waiting for information
 * goes back to the inbox as new, so a documenter sees the answer.
 */
export async function addReportInformation(options: {
  database: Database;
  keyring: Keyring;
  receiptCode: string;
  secret: string;
  text: string;
}): Promise<{ at: Date }> {
  const { database, keyring } = options;
  return database.transaction(async (trx) => {
    const report = await reportForReceipt(trx, options.receiptCode, options.secret);
    const id = randomUUID();
    const sealed: ReportAdditionSealed = { text: options.text };
    const row = await trx
      .insertInto('report_additions')
      .values({ id, report_id: report.id, sealed: await keyring.sealJson(trx, report.organization_id, `report-addition:${id}`, sealed) })
      .returning('created_at')
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('reports')
      .set({ updated_at: row.created_at, ...(report.status === 'needs_information' ? { status: 'new' as const } : {}) })
      .where('id', '=', report.id)
      .execute();
    await appendAudit(trx, {
      actorType: 'anonymous',
      organizationId: report.organization_id,
      action: 'report.information_added',
      subjectType: 'report',
      subjectId: report.id,
      details: { additionId: id },
    });
    return { at: row.created_at };
  });
}
