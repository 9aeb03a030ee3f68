import { sql, type Kysely } from 'kysely';
import type { Keyring } from '../crypto/keyring.js';
import type { DB, IncidentStatus } from '../db/schema.js';
import {
  mergeSensitive,
  splitSensitive,
  vocabularyCodesOf,
  type IncidentDocument,
  type IncidentSensitive,
} from '../domain/incident.js';
import { incidentColumns } from '../domain/incident-columns.js';
import { searchVectorSql } from '../db/repositories/incident-search.js';
import { knownCodeProblems, throwIfProblems, type CodeUse, type FieldProblem } from './field-problems.js';
import type { Actor } from '../policies/actor.js';
import { canSeeIncident } from '../policies/incident.policy.js';
import { incidentSubject, type IncidentRow } from './incident-access.js';

/**
 * What every command that writes an incident shares: the codes checked against the vocabularies, the
 * sensitive fields sealed, the plain columns derived from the document, and a version row written in the
 * same transaction — so no change to an incident exists without its version.
 */

/** Refuses a record naming unknown vocabulary codes or places, or linking to an incident the actor cannot see. */
export async function assertIncidentCodes(db: Kysely<DB>, doc: IncidentDocument, links: LinkCheck): Promise<void> {
  throwIfProblems(await incidentCodeProblems(db, doc, links));
}

/**
 * Who links, and which links were already there (an edit keeps old links unchecked: losing sight of a
 * linked incident later, when its owner stops sharing it, must not make the record uneditable).
 */
export interface LinkCheck {
  actor: Actor;
  alreadyLinked?: readonly string[];
}

/**
 * What `assertIncidentCodes` refuses, as a list: unknown vocabulary codes, a state or municipality that is
 * not in the reference data, links to incidents that do not exist or that the actor may not see (one
 * message for both, so a link attempt never reveals that someone else's record exists). An import
 * collects these per row.
 */
export async function incidentCodeProblems(db: Kysely<DB>, doc: IncidentDocument, links: LinkCheck): Promise<FieldProblem[]> {
  const uses: CodeUse[] = [];
  for (const [vocabulary, codes] of Object.entries(vocabularyCodesOf(doc))) {
    for (const code of codes) uses.push({ field: INCIDENT_CODE_FIELDS[vocabulary] ?? vocabulary, vocabulary, code });
  }
  const problems = await knownCodeProblems(db, uses, { stateCode: doc.place.stateCode, municipalityCode: doc.place.municipalityCode, field: 'place' });
  const linked = doc.links.map((l) => l.incidentId);
  const toCheck = linked.filter((id) => !links.alreadyLinked?.includes(id));
  if (toCheck.length > 0) {
    const found = await db.selectFrom('incidents').select(['id', 'organization_id', 'shared_with_networks']).where('id', 'in', toCheck).execute();
    const visible = new Set<string>();
    for (const row of found) if (canSeeIncident(links.actor, await incidentSubject(db, row))) visible.add(row.id);
    for (const id of toCheck.filter((l) => !visible.has(l))) {
      problems.push({ location: 'body', field: `links[${linked.indexOf(id)}].incidentId`, message: `names no incident ("${id}")` });
    }
  }
  return problems;
}

/** The record field each vocabulary's codes come from, for messages. */
export const INCIDENT_CODE_FIELDS: Record<string, string> = {
  act_types: 'acts[].actType',
  perpetrator_types: 'involvements[].perpetratorType',
  involvement_degrees: 'involvements[].degree',
  victim_characteristics: 'victims[].characteristics',
  source_types: 'sources[].sourceType',
  source_connections: 'sources[].connection',
  source_reliability: 'sources[].reliability',
  intervention_types: 'interventions[].interventionType',
  intervention_statuses: 'interventions[].status',
  place_types: 'place.placeType',
};

/**
 * The stored form of a document: the open part as JSON, the sensitive part sealed for this incident (bound
 * to the incident, so it cannot be moved into another record and opened there).
 */
export async function sealDocument(
  db: Kysely<DB>,
  keyring: Keyring,
  organizationId: string,
  incidentId: string,
  doc: IncidentDocument,
): Promise<{ document: string; sealed: string | null }> {
  return sealDocumentWith(await keyring.jsonSealer(db, organizationId), incidentId, doc);
}

/** `sealDocument` with a sealer already fetched (`Keyring.jsonSealer`), for many documents of one organization. */
export function sealDocumentWith(seal: (context: string, value: unknown) => string, incidentId: string, doc: IncidentDocument): { document: string; sealed: string | null } {
  const { open, sensitive } = splitSensitive(doc);
  return { document: JSON.stringify(open), sealed: sensitive ? seal(`incident:${incidentId}`, sensitive) : null };
}

/** The document as stored, with its sealed fields merged back when `withSensitive`. */
export async function openDocument(
  db: Kysely<DB>,
  keyring: Keyring,
  row: { organization_id: string; id?: string; incident_id?: string; version: number; document: unknown; sealed: string | null },
  withSensitive: boolean,
): Promise<IncidentDocument> {
  const open = row.document as IncidentDocument;
  if (!withSensitive || !row.sealed) return open;
  const id = row.incident_id ?? row.id!;
  const sensitive = await keyring.openJson<IncidentSensitive>(db, row.organization_id, `incident:${id}`, row.sealed);
  return mergeSensitive(open, sensitive);
}

/** The plain columns to write with a document, including its search vector. */
export function columnsFor(doc: IncidentDocument) {
  return { ...incidentColumns(doc), search_vector: searchVectorSql(doc.title, doc.narrative) };
}

/** Records a version of the incident as it now is. */
export async function insertVersion(
  db: Kysely<DB>,
  row: Pick<IncidentRow, 'id' | 'version' | 'status' | 'sealed'> & { document: unknown },
  change: { kind: string; note?: string | null; changedBy: string | null },
): Promise<void> {
  await insertVersions(db, [row], change);
}

/** `insertVersion` for several incidents changed the same way, in one statement. */
export async function insertVersions(
  db: Kysely<DB>,
  rows: readonly (Pick<IncidentRow, 'id' | 'version' | 'status' | 'sealed'> & { document: unknown })[],
  change: { kind: string; note?: string | null; changedBy: string | null },
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('incident_versions')
    .values(rows.map((row) => ({
      incident_id: row.id,
      version: row.version,
      status: row.status as IncidentStatus,
      document: typeof row.document === 'string' ? row.document : JSON.stringify(row.document),
      sealed: row.sealed,
      change_kind: change.kind,
      note: change.note ?? null,
      changed_by: change.changedBy,
    })))
    .execute();
}

/** A new human-readable reference such as INC-000042. */
export async function nextReference(db: Kysely<DB>): Promise<string> {
  return (await nextReferences(db, 1))[0]!;
}

/** `count` new references in one query, in ascending order. */
export async function nextReferences(db: Kysely<DB>, count: number): Promise<string[]> {
  const result = await sql<{ n: number }>`select nextval('incident_numbers')::int as n from generate_series(1, ${count}::int)`.execute(db);
  return result.rows.map((r) => r.n).sort((a, b) => a - b).map((n) => `INC-${String(n).padStart(6, '0')}`);
}
