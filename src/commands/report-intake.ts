import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Keyring } from '../crypto/keyring.js';
import type { DB, ReportChannel } from '../db/schema.js';
import { newReceiptCode, receiptSecretMatches } from '../domain/receipts.js';
import type { MemberReportExtra, ReportBase, ReportSealed } from '../domain/report.js';
import { AppError } from '../server/errors.js';
import { assertKnownCodes, type CodeUse } from './field-problems.js';

/** A report as filed: what the reporter's receipt answers with. */
export interface FiledReport {
  id: string;
  receiptCode: string;
  submittedAt: Date;
  /** True when an earlier request with the same Idempotency-Key already filed it. */
  replayed: boolean;
}

/** Refuses unknown codes and places, naming each field. */
export async function assertReportCodes(db: Kysely<DB>, base: ReportBase, extra?: MemberReportExtra): Promise<void> {
  const uses: CodeUse[] = [];
  if (base.where.placeType) uses.push({ field: 'where.placeType', vocabulary: 'place_types', code: base.where.placeType });
  if (base.who.perpetratorType) uses.push({ field: 'who.perpetratorType', vocabulary: 'perpetrator_types', code: base.who.perpetratorType });
  extra?.actTypes.forEach((code, i) => uses.push({ field: `actTypes.${i}`, vocabulary: 'act_types', code }));
  extra?.victimCharacteristics.forEach((code, i) =>
    uses.push({ field: `victimCharacteristics.${i}`, vocabulary: 'victim_characteristics', code }),
  );
  await assertKnownCodes(db, uses, { ...base.where, field: 'where' });
}

/**
 * The earlier report filed with this Idempotency-Key, if any. The same key with another secret is refused:
 * it is either a client bug or someone fishing for another person's receipt.
 */
export async function findReplay(db: Kysely<DB>, idempotencyKey: string | null, receiptSecret: string): Promise<FiledReport | null> {
  if (!idempotencyKey) return null;
  const existing = await db
    .selectFrom('reports')
    .select(['id', 'receipt_code', 'secret_hash', 'created_at'])
    .where('idempotency_key', '=', idempotencyKey)
    .executeTakeFirst();
  return existing ? replayOf(existing, receiptSecret) : null;
}

/** The receipt of a report filed earlier with the same Idempotency-Key, for a retry that holds its secret. */
export function replayOf(existing: { id: string; receipt_code: string; secret_hash: string; created_at: Date }, receiptSecret: string): FiledReport {
  if (!receiptSecretMatches(receiptSecret, existing.secret_hash)) {
    throw new AppError('CONFLICT', 'This Idempotency-Key was already used for another report: send a new key for a new report.');
  }
  return { id: existing.id, receiptCode: existing.receipt_code, submittedAt: existing.created_at, replayed: true };
}

/** What a report is filed with. */
export interface NewReport {
  organizationId: string;
  channel: ReportChannel;
  base: ReportBase;
  extra?: MemberReportExtra;
  idempotencyKey: string | null;
  secretHash: string;
  submittedBy: string | null;
}

/** Inserts a report with its free text sealed under the receiving organization's key. */
export async function insertReport(db: Kysely<DB>, keyring: Keyring, report: NewReport): Promise<FiledReport> {
  const values = reportRow(await keyring.jsonSealer(db, report.organizationId), report);
  const row = await db.insertInto('reports').values(values).returning(['receipt_code', 'created_at']).executeTakeFirstOrThrow();
  return { id: values.id, receiptCode: row.receipt_code, submittedAt: row.created_at, replayed: false };
}

/** A report's row, with a new id and receipt code and its free text sealed by `seal` (the organization's sealer). */
export function reportRow(seal: (context: string, value: unknown) => string, report: NewReport) {
  const { base, extra } = report;
  const id = randomUUID();
  const sealed: ReportSealed = {
    whatHappened: base.whatHappened,
    shelterName: base.where.shelterName,
    whoDescription: base.who.description,
    contact: base.contact,
    ...(extra ? { extra } : {}),
  };
  return {
    id,
    organization_id: report.organizationId,
    channel: report.channel,
    receipt_code: newReceiptCode(),
    secret_hash: report.secretHash,
    idempotency_key: report.idempotencyKey,
    submitted_by: report.submittedBy,
    state_code: base.where.stateCode,
    municipality_code: base.where.municipalityCode,
    place_type: base.where.placeType,
    occurred_on: base.when?.date ?? null,
    date_precision: base.when?.precision ?? null,
    perpetrator_type: base.who.perpetratorType,
    may_contact: base.consent.mayContact,
    may_publish: base.consent.mayPublish,
    sealed: seal(`report:${id}`, sealed),
  };
}
