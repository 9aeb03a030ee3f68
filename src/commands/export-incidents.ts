import { appendAudit } from '../audit/audit-log.js';
import type { Keyring } from '../crypto/keyring.js';
import type { Database } from '../db/client.js';
import type { Actor } from '../policies/actor.js';
import { canOnIncident, type IncidentSubject } from '../policies/incident.policy.js';
import { visibleOrganizationIds } from '../policies/organization.policy.js';
import { EXPORT_CSV_COLUMNS, csvLine, incidentCsvLine, incidentEsfEvent, redactForExport } from '../presenters/incident-export.presenter.js';
import { presentIncident } from '../presenters/incident.presenter.js';
import { AppError } from '../server/errors.js';
import { openDocument } from './incident-record.js';
import { auditSource, isUuid, type RequestContext } from './organization-access.js';

export const EXPORT_FORMATS = ['csv', 'json', 'esf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** What `exportIncidents` needs. */
export interface ExportIncidentsOptions {
  database: Database;
  keyring: Keyring;
  actor: Actor;
  organizationId: string;
  format: ExportFormat;
  /** Leave out sealed fields, and free text of incidents that may not be published (the default). */
  redacted: boolean;
  /** Incidents read per query while streaming. */
  batchSize?: number;
  context?: RequestContext;
}

/** An export ready to stream: `body` reads the incidents batch by batch as it is consumed. */
export interface IncidentExport {
  count: number;
  contentType: string;
  filename: string;
  body: AsyncGenerator<string>;
}

/**
 * Exports an organization's incidents (archived ones included, marked) as CSV, JSON or HURIDOCS ESF.
 * Needs the 'export' permission; an unredacted export also needs 'read_sensitive'. The audit entry
 * (format, redacted, count) is committed before the first byte leaves, so an export interrupted midway is
 * still on the record. The ids are fixed at that moment, then the records are read in batches as the
 * client consumes them: 100,000 incidents never sit in memory at once.
 */
export async function exportIncidents(options: ExportIncidentsOptions): Promise<IncidentExport> {
  const { database, keyring, actor, organizationId, format, redacted } = options;
  if (!isUuid(organizationId) || visibleOrganizationIds(actor, [organizationId]).length === 0) {
    throw new AppError('NOT_FOUND', 'There is no such organization.', { organizationId });
  }
  // The organization's own incidents: what decides is the actor's standing in it, not any network.
  const subject: IncidentSubject = { organizationId, sharedWithNetworks: false, networkIds: [] };
  if (!canOnIncident(actor, 'export', subject)) {
    throw new AppError('FORBIDDEN', "You may not export this organization's incidents.", { organizationId });
  }
  if (!redacted && !canOnIncident(actor, 'read_sensitive', subject)) {
    throw new AppError('FORBIDDEN', 'You may not export the identities, contacts and places sealed in these incidents: ask for a redacted export.', { organizationId });
  }
  const ids = await database.transaction(async (trx) => {
    const organization = await trx.selectFrom('organizations').select('id').where('id', '=', organizationId).executeTakeFirst();
    if (!organization) throw new AppError('NOT_FOUND', 'There is no such organization.', { organizationId });
    const rows = await trx.selectFrom('incidents').select('id').where('organization_id', '=', organizationId).orderBy('reference').execute();
    await appendAudit(trx, {
      ...auditSource(actor, options.context),
      organizationId,
      action: 'incidents.exported',
      subjectType: 'organization',
      subjectId: organizationId,
      details: { format, redacted, count: rows.length },
    });
    return rows.map((r) => r.id);
  });

  const stamp = new Date().toISOString().slice(0, 10);
  const kind = redacted ? 'redacted' : 'full';
  return {
    count: ids.length,
    contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
    filename: `incidents-${stamp}-${kind}.${format === 'csv' ? 'csv' : format === 'esf' ? 'esf.json' : 'json'}`,
    body: render(options, ids),
  };
}

async function* render(options: ExportIncidentsOptions, ids: readonly string[]): AsyncGenerator<string> {
  const { database, keyring, actor, format, redacted } = options;
  const db = database.db;
  const batchSize = options.batchSize ?? 200;
  const places =
    format === 'csv'
      ? {
          states: new Map((await db.selectFrom('ref_states').select(['code', 'name']).execute()).map((s) => [s.code, s.name])),
          municipalities: new Map((await db.selectFrom('ref_municipalities').select(['cvegeo', 'name']).execute()).map((m) => [m.cvegeo, m.name])),
        }
      : null;
  const huridocs =
    format === 'esf'
      ? new Map((await db.selectFrom('vocabulary_terms').select(['vocabulary', 'code', 'huridocs_code']).execute()).map((t) => [`${t.vocabulary}:${t.code}`, t.huridocs_code]))
      : null;

  if (format === 'csv') yield csvLine(EXPORT_CSV_COLUMNS);
  else if (format === 'json') yield `{"redacted":${redacted},"count":${ids.length},"incidents":[`;
  else yield `{"standard":"HURIDOCS Events Standard Formats","redacted":${redacted},"count":${ids.length},"events":[`;

  let first = true;
  for (let start = 0; start < ids.length; start += batchSize) {
    const rows = await db.selectFrom('incidents').selectAll().where('id', 'in', ids.slice(start, start + batchSize)).orderBy('reference').execute();
    let chunk = '';
    for (const row of rows) {
      const opened = await openDocument(db, keyring, row, !redacted);
      const doc = redacted ? redactForExport(opened, row.may_publish) : opened;
      if (format === 'csv') {
        chunk += incidentCsvLine(row, doc, places!);
        continue;
      }
      const subject = { organizationId: row.organization_id, sharedWithNetworks: row.shared_with_networks, networkIds: [] };
      const record =
        format === 'json'
          ? (({ nextSteps: _n, permissions: _p, ...rest }) => rest)(presentIncident(row, doc, { actor, subject, sensitiveIncluded: !redacted && row.sealed !== null, nextSteps: [] }))
          : incidentEsfEvent(row, doc, huridocs!);
      chunk += (first ? '' : ',') + JSON.stringify(record);
      first = false;
    }
    yield chunk;
  }
  if (format !== 'csv') yield ']}';
}
