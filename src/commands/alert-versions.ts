import type { Database } from '../db/client.js';
import type { AlertStatus } from '../db/schema.js';
import { alertContentSchema, type AlertContent } from '../domain/alert.js';
import { diffJson, type Change } from '../domain/json-diff.js';
import type { Actor } from '../policies/actor.js';
import { authorizeAlert } from './alert-access.js';

/** One version of an alert with what changed from the one before it. */
export interface AlertVersionEntry {
  version: number;
  status: AlertStatus;
  changeKind: string;
  note: string | null;
  changedBy: string | null;
  changedByName: string | null;
  changedAt: Date;
  content: AlertContent;
  changes: Change[];
}

/** Every version of an alert, newest first, each with its whole text and its differences from the previous one. */
export async function alertVersions(options: { database: Database; actor: Actor; alertId: string }): Promise<AlertVersionEntry[]> {
  const { db } = options.database;
  const alert = await authorizeAlert(db, options.actor, 'read', options.alertId);
  const rows = await db
    .selectFrom('alert_versions as v')
    .leftJoin('users as u', 'u.id', 'v.changed_by')
    .select(['v.version', 'v.status', 'v.change_kind', 'v.note', 'v.changed_by', 'v.changed_at', 'v.content', 'u.display_name'])
    .where('v.alert_id', '=', alert.id)
    .orderBy('v.version', 'asc')
    .execute();
  const entries: AlertVersionEntry[] = [];
  let previous: AlertContent | null = null;
  for (const row of rows) {
    const content = alertContentSchema.parse(row.content);
    entries.push({
      version: row.version,
      status: row.status,
      changeKind: row.change_kind,
      note: row.note,
      changedBy: row.changed_by,
      changedByName: row.display_name,
      changedAt: row.changed_at,
      content,
      changes: previous ? diffJson(previous, content) : [],
    });
    previous = content;
  }
  return entries.reverse();
}
