import { sql, type Transaction } from 'kysely';
import { quoteIdent } from '../db/client.js';
import type { DB } from '../db/schema.js';

/**
 * What a backup needs to know about the schema, read from the catalogue of the current schema, so that
 * tables added by any later migration are included without anyone listing them.
 */
export interface TableInfo {
  name: string;
  /** Stored columns in order; generated columns are left out (the target computes them). */
  columns: string[];
}

/** Every ordinary table of the current schema, parents before the tables whose foreign keys name them. */
export async function tablesInForeignKeyOrder(trx: Transaction<DB>): Promise<TableInfo[]> {
  const tables = await sql<{ name: string; columns: string[] }>`
    select c.relname as name,
           array_agg(a.attname::text order by a.attnum) as columns
      from pg_class c
      join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
     where c.relnamespace = current_schema()::regnamespace and c.relkind = 'r'
     group by c.relname
     order by c.relname`.execute(trx);
  const edges = await sql<{ child: string; parent: string }>`
    select child.relname as child, parent.relname as parent
      from pg_constraint k
      join pg_class child on child.oid = k.conrelid
      join pg_class parent on parent.oid = k.confrelid
     where k.contype = 'f' and k.connamespace = current_schema()::regnamespace`.execute(trx);
  const parents = new Map<string, Set<string>>(tables.rows.map((t) => [t.name, new Set<string>()]));
  for (const { child, parent } of edges.rows) {
    if (child !== parent && parents.has(parent)) parents.get(child)?.add(parent);
  }
  const ordered: TableInfo[] = [];
  const placed = new Set<string>();
  let remaining = tables.rows.map((t) => ({ name: t.name, columns: t.columns }));
  while (remaining.length > 0) {
    const ready = remaining.filter((t) => [...parents.get(t.name)!].every((p) => placed.has(p)));
    if (ready.length === 0) {
      throw new Error(`foreign keys form a cycle between ${remaining.map((t) => t.name).join(', ')}; a backup cannot order them`);
    }
    for (const table of ready) {
      ordered.push(table);
      placed.add(table.name);
    }
    remaining = remaining.filter((t) => !placed.has(t.name));
  }
  return ordered;
}

/** A sequence's state, as `setval` takes it back. */
export interface SequenceState {
  name: string;
  lastValue: number;
  isCalled: boolean;
}

/** Every sequence of the current schema (identity columns' too) and where it stands. */
export async function readSequences(trx: Transaction<DB>): Promise<SequenceState[]> {
  const names = await sql<{ name: string }>`
    select relname as name from pg_class
     where relnamespace = current_schema()::regnamespace and relkind = 'S' order by relname`.execute(trx);
  const states: SequenceState[] = [];
  for (const { name } of names.rows) {
    const { rows } = await sql<{ last_value: number; is_called: boolean }>`
      select last_value, is_called from ${sql.raw(quoteIdent(name))}`.execute(trx);
    states.push({ name, lastValue: rows[0]!.last_value, isCalled: rows[0]!.is_called });
  }
  return states;
}

const CURSOR = 'vigia_backup_rows';
// An alias no migration would name a column after, so `to_jsonb(alias)` always means the whole row.
const ROW = 'vigia_backup_row';

/**
 * Reads one table's rows as JSON text (each value in its type's text form, so every engine reads it back
 * exactly), `batchSize` rows at a time through a cursor, inside the caller's snapshot.
 */
export async function* tableRows(trx: Transaction<DB>, table: string, batchSize = 2000): AsyncGenerator<string[]> {
  await sql.raw(`declare ${CURSOR} no scroll cursor for select to_jsonb(${ROW})::text as j from ${quoteIdent(table)} as ${ROW}`).execute(trx);
  try {
    for (;;) {
      const { rows } = await sql.raw<{ j: string }>(`fetch ${batchSize} from ${CURSOR}`).execute(trx);
      if (rows.length === 0) return;
      yield rows.map((r) => r.j);
    }
  } finally {
    await sql.raw(`close ${CURSOR}`).execute(trx);
  }
}

/** Inserts rows read by `tableRows` (a JSON array as text) into the same table, ids and all. */
export async function insertRows(trx: Transaction<DB>, table: TableInfo, rowsJson: string): Promise<void> {
  const columns = table.columns.map(quoteIdent).join(', ');
  const name = quoteIdent(table.name);
  await sql`insert into ${sql.raw(name)} (${sql.raw(columns)}) overriding system value
            select ${sql.raw(columns)} from jsonb_populate_recordset(null::${sql.raw(name)}, ${rowsJson}::jsonb)`.execute(trx);
}

/** Puts a sequence back where it stood. */
export async function restoreSequence(trx: Transaction<DB>, state: SequenceState): Promise<void> {
  await sql`select setval(${quoteIdent(state.name)}::regclass, ${state.lastValue}, ${state.isCalled})`.execute(trx);
}
