import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { Kysely, Transaction } from 'kysely';
import { appendAudit } from '../audit/audit-log.js';
import type { Keyring } from '../crypto/keyring.js';
import type { Database } from '../db/client.js';
import type { DB } from '../db/schema.js';
import { incidentDocumentSchema, vocabularyCodesOf, type IncidentDocument } from '../domain/incident.js';
import { columnOf, importMappingSchema, mappedColumns, mapRow, placeLookups, type ImportMapping, type PlaceLookups, type RowProblem } from '../domain/import/mapping.js';
import type { Actor } from '../policies/actor.js';
import { canOnIncident } from '../policies/incident.policy.js';
import { visibleOrganizationIds } from '../policies/organization.policy.js';
import { AppError } from '../server/errors.js';
import { createIncidentsIn } from './create-incident.js';
import { networksOfOrganization } from './incident-access.js';
import { incidentCodeProblems } from './incident-record.js';
import { auditSource, isUuid, type RequestContext } from './organization-access.js';

/** What `importIncidents` needs. */
export interface ImportIncidentsOptions {
  database: Database;
  keyring: Keyring;
  actor: Actor;
  organizationId: string;
  /** Opens the CSV from its start; called once to validate and once more to import. */
  openCsv: () => Readable;
  /** The mapping as read from JSON; checked here. */
  mapping: unknown;
  /** Validate only: nothing is stored, nothing audited. */
  dryRun?: boolean;
  /** Import the valid rows and report the others; without it, one invalid row stops the whole import. */
  skipInvalid?: boolean;
  /** Rows per insert statement (500), and per transaction when skipping invalid rows. */
  batchSize?: number;
  /** Told as rows are validated (`total` null: not counted yet) and imported. */
  onProgress?: (done: number, total: number | null, phase: 'validating' | 'importing') => void;
  context?: RequestContext;
}

/** The outcome, row by row. */
export interface ImportReport {
  total: number;
  valid: number;
  invalid: number;
  imported: number;
  dryRun: boolean;
  problems: RowProblem[];
}

/**
 * Imports incidents from a CSV file through a mapping (docs/IMPORT.md). Every row is first mapped and
 * validated — the record schema, then the same vocabulary and place check as `createIncident` — and the
 * problems are reported per row and column. Then the rows are imported 500 at a time through
 * `createIncidentsIn` (each incident with the permission, sealing, version and audit entry `createIncident`
 * gives it), plus one `incidents.imported` entry with the counts.
 *
 * Two passes over the file, so 100,000 rows never sit in memory: validation streams and keeps only the
 * problems; the import reads the file again. Without `skipInvalid`, the import is one transaction: a file
 * is imported whole or not at all, and since it was validated first, a rollback takes an unexpected
 * failure. (That transaction holds the audit log's head to the end, so other audited writes wait for it.)
 * With `skipInvalid`, rows go in batches of their own transactions: a huge file does not block everyone,
 * and what was committed before a failure is said in the audit entry.
 */
export async function importIncidents(options: ImportIncidentsOptions): Promise<ImportReport> {
  const { database, actor, organizationId } = options;
  const organization = await authorizeImport(database.db, actor, organizationId);
  const parsedMapping = importMappingSchema.safeParse(options.mapping);
  if (!parsedMapping.success) {
    const details = parsedMapping.error.issues.map((i) => ({ location: 'body', field: `mapping.${i.path.join('.')}`, message: i.message }));
    throw new AppError('VALIDATION_FAILED', `Invalid mapping: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`, details);
  }
  const mapping = parsedMapping.data;
  const validator = new RowValidator(database.db, mapping, await loadPlaces(database.db), actor);

  const problems: RowProblem[] = [];
  const invalidRows = new Set<number>();
  let total = 0;
  for await (const { row, cells, shapeProblem } of readRows(options.openCsv(), mapping, problems)) {
    total += 1;
    const result = shapeProblem ? { problems: [shapeProblem] } : await validator.check(row, cells);
    if (result.problems.length > 0) {
      invalidRows.add(row);
      problems.push(...result.problems);
    }
    if (total % 200 === 0) options.onProgress?.(total, null, 'validating');
  }
  options.onProgress?.(total, total, 'validating');
  const headerBroken = problems.some((p) => p.row === 1);
  const report = { total, valid: headerBroken ? 0 : total - invalidRows.size, invalid: headerBroken ? total : invalidRows.size, imported: 0, dryRun: options.dryRun ?? false, problems };
  if (options.dryRun || headerBroken || report.valid === 0 || (report.invalid > 0 && !options.skipInvalid)) return report;

  const rows = validRows(options.openCsv(), mapping, validator, invalidRows);
  const create = (trx: Transaction<DB>, documents: IncidentDocument[]) =>
    createIncidentsIn(trx, {
      keyring: options.keyring,
      actor,
      organizationId,
      documents,
      // Rows reach here only through the validator, which checked their codes and places.
      prepared: { ...organization, codesChecked: true },
      ...(options.context ? { context: options.context } : {}),
    });
  const audit = (trx: Transaction<DB>, extra: { failed?: boolean } = {}) =>
    appendAudit(trx, {
      ...auditSource(actor, options.context),
      organizationId,
      action: 'incidents.imported',
      subjectType: 'organization',
      subjectId: organizationId,
      details: { total, valid: report.valid, invalid: report.invalid, imported: report.imported, skipInvalid: options.skipInvalid ?? false, ...extra },
    });
  const batchSize = options.batchSize ?? IMPORT_BATCH_SIZE;

  if (!options.skipInvalid) {
    await database.transaction(async (trx) => {
      let imported = 0;
      for await (const documents of batches(rows, batchSize)) {
        await create(trx, documents);
        imported += documents.length;
        options.onProgress?.(imported, report.valid, 'importing');
      }
      report.imported = imported;
      await audit(trx);
    });
    return report;
  }

  try {
    for await (const documents of batches(rows, batchSize)) {
      await database.transaction((trx) => create(trx, documents));
      report.imported += documents.length;
      options.onProgress?.(report.imported, report.valid, 'importing');
    }
  } catch (error) {
    // Earlier batches are committed: the log must say how many, even though this one failed.
    await database.transaction((trx) => audit(trx, { failed: true }));
    throw error;
  }
  await database.transaction((trx) => audit(trx));
  return report;
}

/** Rows per INSERT (and, with `skipInvalid`, per transaction); progress is told after each batch. */
const IMPORT_BATCH_SIZE = 500;

async function* batches<T>(items: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** 404 for an organization the actor may not know; 403 unless they may document its incidents. */
async function authorizeImport(
  db: Kysely<DB>,
  actor: Actor,
  organizationId: string,
): Promise<{ shareWithNetworksByDefault: boolean; networkIds: string[] }> {
  const organization =
    isUuid(organizationId) && visibleOrganizationIds(actor, [organizationId]).length > 0
      ? await db.selectFrom('organizations').select(['id', 'share_with_networks_by_default']).where('id', '=', organizationId).executeTakeFirst()
      : undefined;
  if (!organization) throw new AppError('NOT_FOUND', 'There is no such organization.', { organizationId });
  const subject = { organizationId, sharedWithNetworks: organization.share_with_networks_by_default, networkIds: await networksOfOrganization(db, organizationId) };
  if (!canOnIncident(actor, 'edit', subject)) {
    throw new AppError('FORBIDDEN', 'You may not document incidents for this organization.', { organizationId });
  }
  return { shareWithNetworksByDefault: organization.share_with_networks_by_default, networkIds: subject.networkIds };
}

async function loadPlaces(db: Kysely<DB>): Promise<PlaceLookups> {
  const states = await db.selectFrom('ref_states').select(['code', 'name', 'official_name', 'abbreviation']).execute();
  const municipalities = await db.selectFrom('ref_municipalities').select(['cvegeo', 'state_code', 'name', 'retired_in']).execute();
  return placeLookups(states, municipalities);
}

/**
 * Maps and validates rows. The vocabulary and place check is the create command's, asked once per distinct
 * set of codes: a file of 100,000 rows uses a few hundred combinations, and the answer depends on nothing else.
 */
class RowValidator {
  private readonly codeProblems = new Map<string, Promise<{ field: string; message: string }[]>>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly mapping: ImportMapping,
    private readonly places: PlaceLookups,
    private readonly actor: Actor,
  ) {}

  async check(row: number, cells: Record<string, string>): Promise<{ document: IncidentDocument | null; problems: RowProblem[] }> {
    // PostgreSQL cannot store a NUL character in text or JSON: said per cell here, not as a failed import.
    const withNul = mappedColumns(this.mapping).filter((column) => cells[column]?.includes('\u0000'));
    if (withNul.length > 0) return { document: null, problems: withNul.map((column) => ({ row, column, problem: 'holds a NUL character (\\u0000), which cannot be stored' })) };
    const mapped = mapRow(cells, this.mapping, this.places);
    const problems: RowProblem[] = mapped.problems.map((p) => ({ row, ...p }));
    if (!mapped.document) return { document: null, problems };
    const parsed = incidentDocumentSchema.safeParse(mapped.document);
    if (!parsed.success) {
      const seen = new Set<string>();
      for (const issue of parsed.error.issues) {
        const problem = { row, column: columnOf(this.mapping, issue.path.join('.')), problem: issue.message };
        const key = `${problem.column}\u0000${problem.problem}`;
        if (!seen.has(key)) problems.push(problem);
        seen.add(key);
      }
      return { document: null, problems };
    }
    const document = parsed.data;
    const key = JSON.stringify([Object.entries(vocabularyCodesOf(document)).map(([v, c]) => [v, [...c].sort()]), document.place.stateCode, document.place.municipalityCode]);
    let known = this.codeProblems.get(key);
    if (!known) {
      known = incidentCodeProblems(this.db, document, { actor: this.actor });
      this.codeProblems.set(key, known);
    }
    for (const p of await known) problems.push({ row, column: columnOf(this.mapping, p.field), problem: p.message });
    return { document: problems.length > 0 ? null : document, problems };
  }
}

/**
 * The data rows of a CSV with their spreadsheet row numbers (header = row 1; an empty line is a row too,
 * and is skipped). A header missing a mapped column, or a row with the wrong number of cells, is reported.
 */
async function* readRows(input: Readable, mapping: ImportMapping, problems: RowProblem[]): AsyncGenerator<{ row: number; cells: Record<string, string>; shapeProblem?: RowProblem }> {
  const parser = input.pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: false }));
  let header: string[] | null = null;
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      row += 1;
      if (!header) {
        header = record.map((h) => h.trim());
        for (const column of mappedColumns(mapping)) {
          if (!header.includes(column)) problems.push({ row: 1, column, problem: 'is not a column of the file (check the header)' });
        }
        continue;
      }
      if (record.length === 1 && record[0]!.trim() === '') continue;
      const cells: Record<string, string> = {};
      header.forEach((name, i) => (cells[name] = record[i] ?? ''));
      if (record.length !== header.length) {
        yield { row, cells, shapeProblem: { row, column: '', problem: `has ${record.length} cells where the header has ${header.length}` } };
      } else {
        yield { row, cells };
      }
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new AppError('VALIDATION_FAILED', `The file is not valid CSV after row ${row}: ${message}`, [{ location: 'body', field: 'csv', message }]);
  }
}

/** The second pass: the rows found valid, as records (the check is repeated, so nothing unchecked slips in). */
async function* validRows(input: Readable, mapping: ImportMapping, validator: RowValidator, invalid: ReadonlySet<number>): AsyncGenerator<IncidentDocument> {
  for await (const { row, cells, shapeProblem } of readRows(input, mapping, [])) {
    if (invalid.has(row) || shapeProblem) continue;
    const { document, problems } = await validator.check(row, cells);
    if (!document) throw new AppError('CONFLICT', `Row ${row} changed between validation and import: ${problems.map((p) => p.problem).join('; ')}`);
    yield document;
  }
}
