import { randomUUID } from 'node:crypto';
import { appendAudit } from '../audit/audit-log.js';
import type { Database } from '../db/client.js';
import type { Actor } from '../policies/actor.js';
import { authorizeIncident } from './incident-access.js';
import { auditSource, type RequestContext } from './organization-access.js';

/** A reviewer's or documenter's note on an incident, with who wrote it. */
export interface IncidentNote {
  id: string;
  body: string;
  authorId: string;
  authorName: string | null;
  createdAt: Date;
}

/**
 * Notes beside the record: a reviewer's reasoning about sources, the legal qualification or what is
 * missing. They belong to the organization's work on the incident, so only those who may edit it (its
 * documenters and reviewers) read and write them; notes are never edited or deleted.
 */
export async function listIncidentNotes(options: { database: Database; actor: Actor; incidentId: string }): Promise<IncidentNote[]> {
  const { db } = options.database;
  const { incident } = await authorizeIncident(db, options.actor, 'edit', options.incidentId);
  const rows = await db
    .selectFrom('incident_notes as n')
    .leftJoin('users as u', 'u.id', 'n.author_id')
    .select(['n.id', 'n.body', 'n.author_id', 'n.created_at', 'u.display_name'])
    .where('n.incident_id', '=', incident.id)
    .orderBy('n.created_at')
    .execute();
  return rows.map((r) => ({ id: r.id, body: r.body, authorId: r.author_id, authorName: r.display_name, createdAt: r.created_at }));
}

/** Adds a note, audited (its id only: the text stays with the incident). */
export async function addIncidentNote(options: {
  database: Database;
  actor: Actor;
  incidentId: string;
  body: string;
  context?: RequestContext;
}): Promise<IncidentNote> {
  const { database, actor } = options;
  return database.transaction(async (trx) => {
    const { incident } = await authorizeIncident(trx, actor, 'edit', options.incidentId);
    const authorId = actor.kind === 'user' ? actor.userId : null;
    if (!authorId) throw new Error('addIncidentNote needs a signed-in person (the route only admits them)');
    const row = await trx
      .insertInto('incident_notes')
      .values({ id: randomUUID(), incident_id: incident.id, author_id: authorId, body: options.body })
      .returning(['id', 'body', 'author_id', 'created_at'])
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      ...auditSource(actor, options.context),
      organizationId: incident.organization_id,
      action: 'incident.note_added',
      subjectType: 'incident',
      subjectId: incident.id,
      details: { noteId: row.id },
    });
    const author = await trx.selectFrom('users').select('display_name').where('id', '=', authorId).executeTakeFirst();
    return { id: row.id, body: row.body, authorId: row.author_id, authorName: author?.display_name ?? null, createdAt: row.created_at };
  });
}
