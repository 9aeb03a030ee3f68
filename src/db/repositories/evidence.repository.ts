import type { Kysely, Selectable } from 'kysely';
import type { AuditLogTable, DB, EvidenceTable } from '../schema.js';

/** An evidence row as read back. */
export type EvidenceRow = Selectable<EvidenceTable>;

/** One evidence row by id. */
export function findEvidence(db: Kysely<DB>, id: string): Promise<EvidenceRow | undefined> {
  return db.selectFrom('evidence').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * An incident's evidence in the order it was sent, without refused uploads: a refused file was never
 * stored, and its attempt stays in the audit log (`evidence.refused`).
 */
export function listIncidentEvidence(db: Kysely<DB>, incidentId: string): Promise<EvidenceRow[]> {
  return db
    .selectFrom('evidence')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .where('status', '<>', 'refused')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** The audit entries about one piece of evidence, oldest first: its chain of custody. */
export function custodyEntries(db: Kysely<DB>, evidenceId: string): Promise<Array<Selectable<AuditLogTable>>> {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where('subject_type', '=', 'evidence')
    .where('subject_id', '=', evidenceId)
    .orderBy('seq')
    .execute();
}

/** Display names of people and names of API tokens by id, for showing who acted. */
export async function actorNames(
  db: Kysely<DB>,
  ids: { userIds: readonly string[]; tokenIds: readonly string[] },
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  if (ids.userIds.length > 0) {
    const users = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', [...ids.userIds]).execute();
    for (const user of users) names.set(user.id, user.display_name);
  }
  if (ids.tokenIds.length > 0) {
    const tokens = await db.selectFrom('api_tokens').select(['id', 'name']).where('id', 'in', [...ids.tokenIds]).execute();
    for (const token of tokens) names.set(token.id, token.name);
  }
  return names;
}
