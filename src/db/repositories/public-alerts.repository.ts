import { sql, type Kysely } from 'kysely';
import { alertContentSchema, type AlertContent } from '../../domain/alert.js';
import type { DB } from '../schema.js';

/**
 * What the public may read of an alert: the content of its published version, the correction notes of
 * the versions published after the first, and its withdrawal. Nothing else leaves this module: no
 * incident ids, no authors, no internal reference, no draft. Alerts never published are not found.
 */
export interface PublicAlertRecord {
  slug: string;
  status: 'published' | 'withdrawn';
  content: AlertContent;
  publishedAt: Date;
  withdrawnAt: Date | null;
  withdrawalReason: string | null;
  corrections: { version: number; at: Date; note: string }[];
}

/** A cursor was not one this module made: the caller's mistake, answered with a 400. */
export class PublicAlertCursorError extends Error {
  override name = 'PublicAlertCursorError';
}

export interface PublicAlertFilter {
  /** INEGI state code: alerts that cover this state. */
  stateCode?: string;
  /** Act type code: alerts that speak of this act. */
  actType?: string;
  cursor?: string;
  limit: number;
}

// Microseconds, in UTC, so that the cursor compares exactly on both engines.
const publishedAtText = sql<string>`to_char(a.published_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

function baseQuery(db: Kysely<DB>) {
  return db
    .selectFrom('alerts as a')
    .innerJoin('alert_versions as v', (join) => join.onRef('v.alert_id', '=', 'a.id').onRef('v.version', '=', 'a.published_version'))
    .where('a.published_version', 'is not', null)
    .where('a.slug', 'is not', null)
    .where('a.published_at', 'is not', null)
    .where('a.status', 'in', ['published', 'withdrawn'])
    .select(['a.id', 'a.slug', 'a.status', 'a.published_at', 'a.withdrawn_at', 'a.withdrawal_reason', 'v.content', publishedAtText.as('published_at_text')]);
}

type BaseRow = Awaited<ReturnType<ReturnType<typeof baseQuery>['execute']>>[number];

function encodeCursor(row: BaseRow): string {
  return Buffer.from(`${row.published_at_text}|${row.id}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { at: string; id: string } {
  const [at, id, extra] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (
    extra !== undefined ||
    !at ||
    !id ||
    !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(at) ||
    !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)
  ) {
    throw new PublicAlertCursorError('must be the nextCursor of a previous page');
  }
  return { at, id };
}

async function withCorrections(db: Kysely<DB>, rows: BaseRow[]): Promise<PublicAlertRecord[]> {
  const ids = rows.map((r) => r.id);
  const notes =
    ids.length === 0
      ? []
      : await db
          .selectFrom('alert_versions as v')
          .innerJoin('alerts as a', 'a.id', 'v.alert_id')
          .where('v.alert_id', 'in', ids)
          .where('v.change_kind', '=', 'corrected')
          .where('v.note', 'is not', null)
          // Only corrections that were published: never a later draft's note.
          .whereRef('v.version', '<=', 'a.published_version')
          .select(['v.alert_id', 'v.version', 'v.changed_at', 'v.note'])
          .orderBy('v.version')
          .execute();
  return rows.map((row) => ({
    slug: row.slug!,
    status: row.status === 'withdrawn' ? 'withdrawn' : 'published',
    content: alertContentSchema.parse(typeof row.content === 'string' ? JSON.parse(row.content) : row.content),
    publishedAt: new Date(row.published_at!),
    withdrawnAt: row.withdrawn_at ? new Date(row.withdrawn_at) : null,
    withdrawalReason: row.status === 'withdrawn' ? row.withdrawal_reason : null,
    corrections: notes
      .filter((n) => n.alert_id === row.id)
      .map((n) => ({ version: n.version, at: new Date(n.changed_at), note: n.note! })),
  }));
}

/** Published and withdrawn alerts, newest publication first, a page at a time. */
export async function listPublicAlerts(
  db: Kysely<DB>,
  filter: PublicAlertFilter,
): Promise<{ items: PublicAlertRecord[]; nextCursor: string | null }> {
  let query = baseQuery(db);
  if (filter.stateCode) query = query.where(sql<boolean>`v.content -> 'stateCodes' @> jsonb_build_array(${filter.stateCode}::text)`);
  if (filter.actType) query = query.where(sql<boolean>`v.content -> 'actTypes' @> jsonb_build_array(${filter.actType}::text)`);
  if (filter.cursor !== undefined) {
    const { at, id } = decodeCursor(filter.cursor);
    query = query.where(sql<boolean>`(a.published_at, a.id) < (${at}::timestamptz, ${id}::uuid)`);
  }
  const rows = await query
    .orderBy('a.published_at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(filter.limit + 1)
    .execute();
  const page = rows.slice(0, filter.limit);
  const last = page.at(-1);
  return { items: await withCorrections(db, page), nextCursor: rows.length > filter.limit && last ? encodeCursor(last) : null };
}

/** One published or withdrawn alert by its public address; undefined for anything else. */
export async function findPublicAlert(db: Kysely<DB>, slug: string): Promise<PublicAlertRecord | undefined> {
  const rows = await baseQuery(db).where('a.slug', '=', slug).execute();
  return (await withCorrections(db, rows))[0];
}
