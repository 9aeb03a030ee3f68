import { sql, type Kysely, type Selectable } from 'kysely';
import type { AuditLogTable, DB } from '../schema.js';

/** An audit entry as read back. */
export type AuditEntryRow = Selectable<AuditLogTable>;

/** Filters of the audit viewer; `organizationIds` undefined means every entry. */
export interface AuditEntryFilter {
  organizationIds: readonly string[] | undefined;
  actionPrefix?: string | undefined;
  actorId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  /** Only entries older than this seq (the previous page's last). */
  beforeSeq?: number | undefined;
  limit: number;
}

/** Audit entries matching `filter`, newest first, at most `limit`. */
export function listAuditEntries(db: Kysely<DB>, filter: AuditEntryFilter): Promise<AuditEntryRow[]> {
  let query = db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(filter.limit);
  if (filter.organizationIds !== undefined) {
    if (filter.organizationIds.length === 0) return Promise.resolve([]);
    query = query.where('organization_id', 'in', filter.organizationIds);
  }
  // starts_with, not LIKE: a prefix holding % or _ must match literally.
  if (filter.actionPrefix) query = query.where(sql<boolean>`starts_with(action, ${filter.actionPrefix})`);
  if (filter.actorId) query = query.where('actor_id', '=', filter.actorId);
  if (filter.from) query = query.where('occurred_at', '>=', filter.from);
  if (filter.to) query = query.where('occurred_at', '<', filter.to);
  if (filter.beforeSeq !== undefined) query = query.where('seq', '<', filter.beforeSeq);
  return query.execute();
}
