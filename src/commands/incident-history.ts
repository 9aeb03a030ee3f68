import type { Keyring } from '../crypto/keyring.js';
import type { Database } from '../db/client.js';
import type { IncidentStatus } from '../db/schema.js';
import { diffJson, type Change } from '../domain/json-diff.js';
import type { Actor } from '../policies/actor.js';
import { AppError } from '../server/errors.js';
import { assertMayReadSensitive, authorizeIncident, recordSensitiveRead } from './incident-access.js';
import { openDocument } from './incident-record.js';
import type { RequestContext } from './organization-access.js';

/** One version in an incident's history. */
export interface VersionEntry {
  version: number;
  status: IncidentStatus;
  changeKind: string;
  note: string | null;
  changedBy: string | null;
  changedByName: string | null;
  changedAt: Date;
}

/** Every version of an incident, newest first: who changed what kind of thing, when. */
export async function listIncidentVersions(options: { database: Database; actor: Actor; incidentId: string }): Promise<VersionEntry[]> {
  const { db } = options.database;
  const { incident } = await authorizeIncident(db, options.actor, 'read', options.incidentId);
  const rows = await db
    .selectFrom('incident_versions as v')
    .leftJoin('users as u', 'u.id', 'v.changed_by')
    .select(['v.version', 'v.status', 'v.change_kind', 'v.note', 'v.changed_by', 'v.changed_at', 'u.display_name'])
    .where('v.incident_id', '=', incident.id)
    .orderBy('v.version', 'desc')
    .execute();
  return rows.map((r) => ({
    version: r.version,
    status: r.status,
    changeKind: r.change_kind,
    note: r.note,
    changedBy: r.changed_by,
    changedByName: r.display_name,
    changedAt: r.changed_at,
  }));
}

/**
 * What changed from version `from` to version `to`, path by path. Sealed fields appear in the diff only
 * for those allowed to read them, and such a read is audited like any other.
 */
export async function diffIncidentVersions(options: {
  database: Database;
  keyring: Keyring;
  actor: Actor;
  incidentId: string;
  from: number;
  to: number;
  includeSensitive: boolean;
  context?: RequestContext;
}): Promise<{ from: number; to: number; sensitiveIncluded: boolean; changes: Change[] }> {
  const { database, keyring, actor } = options;
  return database.transaction(async (trx) => {
    const { incident, subject } = await authorizeIncident(trx, actor, 'read', options.incidentId);
    if (options.includeSensitive) assertMayReadSensitive(actor, subject);
    const rows = await trx
      .selectFrom('incident_versions')
      .select(['version', 'document', 'sealed'])
      .where('incident_id', '=', incident.id)
      .where('version', 'in', [options.from, options.to])
      .execute();
    const find = (v: number) => rows.find((r) => r.version === v);
    const before = find(options.from);
    const after = find(options.to);
    if (!before || !after) throw new AppError('NOT_FOUND', `This incident has no version ${!before ? options.from : options.to}.`);
    const open = (r: typeof before) =>
      openDocument(trx, keyring, { ...r, organization_id: incident.organization_id, incident_id: incident.id }, options.includeSensitive);
    const changes = diffJson(await open(before), await open(after));
    const sensitiveIncluded = options.includeSensitive && (before.sealed !== null || after.sealed !== null);
    if (sensitiveIncluded) {
      await recordSensitiveRead(trx, actor, incident, { versions: [options.from, options.to] }, options.context);
    }
    return { from: options.from, to: options.to, sensitiveIncluded, changes };
  });
}
