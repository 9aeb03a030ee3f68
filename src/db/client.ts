import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import { PGliteDialect } from './pglite-dialect.js';
import type { DB } from './schema.js';

export type Engine = 'pglite' | 'postgres';

export type DatabaseOptions =
  | {
      engine: 'pglite';
      /** Directory to persist in; omit for a throw-away in-memory database (tests). */
      dataDir?: string;
      /** A data-directory dump to start from (PGlite's `dumpDataDir`), used to clone test templates. */
      loadDataDir?: Blob;
    }
  | {
      engine: 'postgres';
      url: string;
      poolSize?: number;
      /** Schema to work in (search_path); tests use one schema per run for isolation. */
      schema?: string;
      /** Told when an idle pooled connection fails (the server went away); the next query reports it. */
      onConnectionError?: (error: Error) => void;
    };

/** One handle on the database, whichever engine is behind it. */
export interface Database {
  readonly engine: Engine;
  readonly db: Kysely<DB>;
  /** Runs `fn` in one transaction; on the embedded engine no other statement can interleave with it. */
  transaction<T>(fn: (trx: Transaction<DB>) => Promise<T>): Promise<T>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  /** The embedded engine's instance, for tools that need it (dumps); undefined on PostgreSQL. */
  readonly pglite: PGlite | undefined;
  close(): Promise<void>;
}

// Both engines return the same JavaScript types for the same SQL types: int8 as a number (ids and
// counts stay far below 2^53), `date` as the 'YYYY-MM-DD' string it is (no time-zone shift),
// numeric as a string (no silent rounding), timestamptz as a Date.
const INT8 = 20;
const DATE = 1082;

function parseInt8(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`int8 value ${value} is beyond JavaScript's safe integers`);
  return n;
}

/** Opens the database described by `options`. Migrations are not run here (see migrate.ts). */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.engine === 'pglite') return openPGlite(options);
  return openPostgres(options);
}

async function openPGlite(options: Extract<DatabaseOptions, { engine: 'pglite' }>): Promise<Database> {
  if (options.dataDir) fs.mkdirSync(options.dataDir, { recursive: true });
  const pglite = new PGlite({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    parsers: { [INT8]: parseInt8, [DATE]: (value: string) => value },
    serializers: {},
  });
  await pglite.waitReady;
  const dialect = new PGliteDialect(pglite);
  const db = new Kysely<DB>({ dialect });
  return {
    engine: 'pglite',
    db,
    pglite,
    transaction: (fn) => db.transaction().execute((trx) => dialect.runInTransactionScope(() => fn(trx))),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: async () => {
      await db.destroy();
      // Kysely only destroys a driver it has used; the database must close either way.
      if (!pglite.closed) await pglite.close();
    },
  };
}

async function openPostgres(options: Extract<DatabaseOptions, { engine: 'postgres' }>): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 5_000,
    // `public` stays on the path so that extensions installed there remain visible.
    ...(options.schema ? { options: `-c search_path=${quoteIdent(options.schema)},public` } : {}),
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (oid === INT8) return parseInt8;
        if (oid === DATE) return (value: string) => value;
        return pg.types.getTypeParser(oid, format as 'text');
      }) as typeof pg.types.getTypeParser,
    },
  });
  // A client that loses its server emits 'error'; without a listener that would crash the process.
  // The pool listens only to its idle clients, and a client checked out (by a request, or by the outbox
  // worker between two queries of a transaction) has no listener at all: so each client gets its own
  // when it connects. The error is reported once, the query in flight fails clearly (503, and /readyz
  // answers 503), and the pool drops the dead client when it is released.
  pool.on('connect', (client) => {
    client.on('error', (error) => {
      if (options.onConnectionError) options.onConnectionError(error);
      else process.emitWarning(`PostgreSQL connection error: ${error.message}`);
    });
  });
  // The pool re-emits an idle client's error, already reported by the client's own listener above.
  pool.on('error', () => {});
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    engine: 'postgres',
    db,
    pglite: undefined,
    transaction: (fn) => db.transaction().execute(fn),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

/** Quotes an SQL identifier (for schema names built by tests and tools, never from users). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Where the embedded database lives inside a data directory. */
export function embeddedDatabaseDir(dataDir: string): string {
  return path.join(dataDir, 'db');
}

/** Opens the database a `Config` describes: PostgreSQL with DATABASE_URL, else PGlite under the data dir. */
export function openConfiguredDatabase(
  config: { databaseUrl: string | undefined; dataDir: string; dbPoolSize: number },
  onConnectionError?: (error: Error) => void,
): Promise<Database> {
  return config.databaseUrl
    ? openDatabase({
        engine: 'postgres',
        url: config.databaseUrl,
        poolSize: config.dbPoolSize,
        ...(onConnectionError ? { onConnectionError } : {}),
      })
    : openDatabase({ engine: 'pglite', dataDir: embeddedDatabaseDir(config.dataDir) });
}
