import { sql, type Expression, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import { z } from 'zod';
import { fold } from '../../domain/triage/normalize.js';
import type { DatePrecision, DB, IncidentStatus } from '../schema.js';

/**
 * Finding incidents by words and filters, within what the caller may see.
 *
 * Words: reports are written in Spanish, sometimes in English, and typed with or without accents. Both the
 * stored vector and the query are folded in JavaScript with the same `fold` the triage uses (so neither
 * engine needs the `unaccent` extension, which PGlite does not ship), then stemmed by PostgreSQL's Spanish
 * AND English snowball configurations: "ingresaron" finds "intentó ingresar", "patrolling" finds "patrols".
 * Each configuration stems the text and the query alike, so a Spanish query meets the Spanish stems and an
 * English one the English stems; the query ORs the two. The cost is a vector about twice as large, which
 * the GIN index absorbs; the gain is that nobody has to say what language a narrative (or a query) is in.
 */

/** The orders a search can come back in. `relevance` needs words; without them it is `date_desc`. */
export const INCIDENT_SEARCH_SORTS = ['relevance', 'date_desc', 'date_asc', 'updated_desc'] as const;
export type IncidentSearchSort = (typeof INCIDENT_SEARCH_SORTS)[number];

/** Pages are at most this long, so one request never reads the whole table. */
export const MAX_SEARCH_LIMIT = 100;

/**
 * Whose incidents the caller may see, computed from policies by the caller: all incidents of
 * `organizationIds`, and those of `sharedFromOrganizationIds` that their organization shared with its
 * networks. Both empty means nothing is visible (deny by default).
 */
export interface IncidentSearchScope {
  organizationIds: readonly string[];
  sharedFromOrganizationIds: readonly string[];
}

/** What to look for. Empty lists mean "no filter", as an unticked list of boxes does in a form. */
export interface IncidentSearchQuery {
  /** Words, in the web-search syntax people already know: `"guardia nacional" -albergue or inm`. */
  text?: string;
  stateCode?: string;
  municipalityCode?: string;
  /** Incidents whose [start, end (or start)] overlaps [from, to]; both 'YYYY-MM-DD', each optional. */
  from?: string;
  to?: string;
  /** Any of these act types. */
  actTypes?: readonly string[];
  /** Any of these perpetrator types. */
  perpetratorTypes?: readonly string[];
  /** Any of these victim types. */
  victimTypes?: readonly string[];
  statuses?: readonly IncidentStatus[];
  /** One organization among those in scope. */
  organizationId?: string;
  hasEvidence?: boolean;
  /** Archived incidents are left out unless asked for. */
  includeArchived?: boolean;
  sort: IncidentSearchSort;
  /** 1..MAX_SEARCH_LIMIT. */
  limit: number;
  /** `nextCursor` of the previous page, unchanged. */
  cursor?: string;
}

/** One incident in a result list: what a list shows and filters by, never the document or sealed part. */
export interface IncidentSearchRow {
  id: string;
  reference: string;
  title: string;
  status: IncidentStatus;
  organization_id: string;
  state_code: string | null;
  municipality_code: string | null;
  start_date: string | null;
  date_precision: DatePrecision | null;
  act_types: string[];
  perpetrator_types: string[];
  has_evidence: boolean;
  shared_with_networks: boolean;
  updated_at: Date;
  /** How well the words match (higher is better); null when the search had no words. */
  rank: number | null;
}

export interface IncidentSearchPage {
  items: IncidentSearchRow[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/**
 * A search the caller got wrong (a cursor that is not ours or belongs to another order, a limit out of
 * range, an impossible date). Routes answer it with 400; anything else thrown here is a server fault.
 */
export class IncidentSearchInputError extends Error {
  override name = 'IncidentSearchInputError';
  constructor(
    readonly field: 'cursor' | 'limit' | 'from' | 'to' | 'organizationId',
    message: string,
  ) {
    super(message);
  }
}

// Control characters (NUL above all) make PostgreSQL refuse the whole statement; they carry no words.
const CONTROL = /\p{Cc}/gu;
const WORDLIKE = /[\p{L}\p{N}]/u;

function foldForSearch(text: string): string {
  return fold(text.replace(CONTROL, ' '));
}

/**
 * The value to store in `incidents.search_vector` whenever the title or narrative is written. Title words
 * weigh A and narrative words B, so a match in the title ranks first.
 */
export function searchVectorSql(title: string, narrative: string): RawBuilder<unknown> {
  const t = foldForSearch(title);
  const n = foldForSearch(narrative);
  return sql`(setweight(to_tsvector('spanish', ${t}::text), 'A') || setweight(to_tsvector('english', ${t}::text), 'A') || setweight(to_tsvector('spanish', ${n}::text), 'B') || setweight(to_tsvector('english', ${n}::text), 'B'))`;
}

/**
 * The folded words of a query, or undefined when it has none (only spaces, punctuation, emoji): such a
 * query is treated as no words at all rather than as one that matches nothing.
 */
function searchText(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const folded = foldForSearch(text).trim();
  return WORDLIKE.test(folded) ? folded : undefined;
}

// websearch_to_tsquery never fails on syntax (unbalanced quotes, `&|!:*()` are read as spaces), so
// whatever a person types is a query, never an error.
function tsquery(text: string): RawBuilder<unknown> {
  return sql`(websearch_to_tsquery('spanish', ${text}::text) || websearch_to_tsquery('english', ${text}::text))`;
}

// The cursor carries the sort key of the last row and its id (a keyset), so a page starts exactly after
// the previous one even when incidents are added meanwhile, at the cost of an index-friendly comparison
// instead of an OFFSET that rereads every earlier page. Relevance uses the same keyset over (rank, id):
// the rank is recomputed from the same vector and query each time, so it is stable, and PostgreSQL
// prints a `real` with enough digits to read back the identical value.
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const id = z.guid();
const cursorSchema = z.discriminatedUnion('sort', [
  z.object({ sort: z.literal('relevance'), rank: z.number().min(0).max(1e6), id }).strict(),
  z
    .object({
      sort: z.enum(['date_desc', 'date_asc']),
      date: z.string().refine((d) => d === '-infinity' || isCalendarDate(d)),
      id,
    })
    .strict(),
  z
    .object({
      sort: z.literal('updated_desc'),
      updated: z.string().refine((t) => ISO_TIMESTAMP.test(t) && isCalendarDate(t.slice(0, 10)) && validClock(t.slice(11, 19))),
      id,
    })
    .strict(),
]);
type Cursor = z.infer<typeof cursorSchema>;

function isCalendarDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value);
}

function validClock(hms: string): boolean {
  const [h, m, s] = hms.split(':').map(Number);
  return h! < 24 && m! < 60 && s! < 60;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

function decodeCursor(value: string, sort: IncidentSearchSort): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    throw new IncidentSearchInputError('cursor', 'The cursor is not one this search returned.');
  }
  const result = cursorSchema.safeParse(parsed);
  if (!result.success) throw new IncidentSearchInputError('cursor', 'The cursor is not one this search returned.');
  if (result.data.sort !== sort) {
    throw new IncidentSearchInputError('cursor', 'The cursor belongs to a search in another order.');
  }
  return result.data;
}

function checkQuery(query: IncidentSearchQuery): void {
  if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > MAX_SEARCH_LIMIT) {
    throw new IncidentSearchInputError('limit', `The limit must be a whole number from 1 to ${MAX_SEARCH_LIMIT}.`);
  }
  // Not a uuid would reach PostgreSQL as a type error, that is a 500 for what is the caller's mistake.
  if (query.organizationId !== undefined && !id.safeParse(query.organizationId).success) {
    throw new IncidentSearchInputError('organizationId', 'The organization is not a valid id.');
  }
  for (const field of ['from', 'to'] as const) {
    const value = query[field];
    if (value !== undefined && !isCalendarDate(value)) {
      throw new IncidentSearchInputError(field, 'Dates are written YYYY-MM-DD and must exist.');
    }
  }
}

// Incidents without a start date sort as the earliest: last when newest come first. A key without
// nulls lets one row comparison express "after the cursor".
const dateKey = sql`coalesce(incidents.start_date, '-infinity'::date)`;
// A JavaScript Date keeps milliseconds, the column microseconds: the cursor carries the exact text.
const updatedText = sql`to_char(incidents.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
const updatedKey = sql`incidents.updated_at`;

/** Incidents in scope that match the query, one page at a time, in the order asked for. */
export async function searchIncidents(
  db: Kysely<DB>,
  scope: IncidentSearchScope,
  query: IncidentSearchQuery,
): Promise<IncidentSearchPage> {
  checkQuery(query);
  const text = searchText(query.text);
  const sort: IncidentSearchSort = query.sort === 'relevance' && text === undefined ? 'date_desc' : query.sort;
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, sort);
  if (scope.organizationIds.length === 0 && scope.sharedFromOrganizationIds.length === 0) {
    return { items: [], nextCursor: null };
  }

  const matches = text === undefined ? undefined : tsquery(text);
  const rank = matches === undefined ? sql<number | null>`null::real` : sql<number>`ts_rank(incidents.search_vector, ${matches})`;
  const sortKey = sort === 'relevance' ? rank : sort === 'updated_desc' ? updatedKey : dateKey;

  let select = db
    .selectFrom('incidents')
    .select([
      'id',
      'reference',
      'title',
      'status',
      'organization_id',
      'state_code',
      'municipality_code',
      'start_date',
      'date_precision',
      'act_types',
      'perpetrator_types',
      'has_evidence',
      'shared_with_networks',
      'updated_at',
      rank.as('rank'),
      sql<string | number>`${sort === 'updated_desc' ? updatedText : sortKey}`.as('sort_key'),
    ])
    .where(visibleIn(scope));

  if (matches !== undefined) select = select.where(sql<SqlBool>`incidents.search_vector @@ ${matches}`);
  if (query.stateCode !== undefined) select = select.where('state_code', '=', query.stateCode);
  if (query.municipalityCode !== undefined) select = select.where('municipality_code', '=', query.municipalityCode);
  if (query.to !== undefined) {
    // The same bound on the sort key lets a date-ordered list start its index walk at `to` instead of
    // at the newest incident and filtering its way back (150 ms instead of 5 at 100,000 incidents).
    select = select.where(sql<SqlBool>`incidents.start_date <= ${query.to}::date and ${dateKey} <= ${query.to}::date`);
  }
  if (query.from !== undefined) {
    select = select.where(sql<SqlBool>`coalesce(incidents.end_date, incidents.start_date) >= ${query.from}::date`);
  }
  if (query.actTypes?.length) select = select.where(overlaps('act_types', query.actTypes));
  if (query.perpetratorTypes?.length) select = select.where(overlaps('perpetrator_types', query.perpetratorTypes));
  if (query.victimTypes?.length) select = select.where(overlaps('victim_types', query.victimTypes));
  if (query.statuses?.length) select = select.where('status', 'in', query.statuses);
  if (query.organizationId !== undefined) select = select.where('organization_id', '=', query.organizationId);
  if (query.hasEvidence !== undefined) select = select.where('has_evidence', '=', query.hasEvidence);
  if (!query.includeArchived) select = select.where('archived_at', 'is', null);

  if (after !== undefined) select = select.where(afterCursor(after, sortKey));
  const direction = sort === 'date_asc' ? 'asc' : 'desc';
  const rows = await select
    .orderBy(sortKey, direction)
    .orderBy('id', direction)
    .limit(query.limit + 1)
    .execute();

  const page = rows.slice(0, query.limit);
  const items = page.map(({ sort_key: _sortKey, ...row }) => row);
  const last = page.at(-1);
  const nextCursor = rows.length > query.limit && last !== undefined ? encodeCursor(cursorFor(sort, last)) : null;
  return { items, nextCursor };
}

function visibleIn(scope: IncidentSearchScope): Expression<SqlBool> {
  const own = scope.organizationIds.length > 0 ? sql<SqlBool>`incidents.organization_id in (${sql.join(scope.organizationIds.map((o) => sql`${o}::uuid`))})` : undefined;
  const shared =
    scope.sharedFromOrganizationIds.length > 0
      ? sql<SqlBool>`(incidents.shared_with_networks and incidents.organization_id in (${sql.join(scope.sharedFromOrganizationIds.map((o) => sql`${o}::uuid`))}))`
      : undefined;
  if (own && shared) return sql<SqlBool>`(${own} or ${shared})`;
  return (own ?? shared)!;
}

function overlaps(column: 'act_types' | 'perpetrator_types' | 'victim_types', values: readonly string[]): Expression<SqlBool> {
  return sql<SqlBool>`${sql.ref(`incidents.${column}`)} && ${[...values]}::text[]`;
}

function afterCursor(after: Cursor, sortKey: RawBuilder<unknown>): Expression<SqlBool> {
  switch (after.sort) {
    case 'relevance':
      return sql<SqlBool>`(${sortKey}, incidents.id) < (${after.rank}::real, ${after.id}::uuid)`;
    case 'updated_desc':
      return sql<SqlBool>`(${sortKey}, incidents.id) < (${after.updated}::timestamptz, ${after.id}::uuid)`;
    case 'date_desc':
      return sql<SqlBool>`(${sortKey}, incidents.id) < (${after.date}::date, ${after.id}::uuid)`;
    case 'date_asc':
      return sql<SqlBool>`(${sortKey}, incidents.id) > (${after.date}::date, ${after.id}::uuid)`;
  }
}

function cursorFor(sort: IncidentSearchSort, row: { id: string; sort_key: string | number; rank: number | null }): Cursor {
  switch (sort) {
    case 'relevance':
      return { sort, rank: Number(row.sort_key), id: row.id };
    case 'updated_desc':
      return { sort, updated: String(row.sort_key), id: row.id };
    case 'date_desc':
    case 'date_asc':
      return { sort, date: String(row.sort_key), id: row.id };
  }
}
