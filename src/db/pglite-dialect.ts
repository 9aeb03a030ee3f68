import { AsyncLocalStorage } from 'node:async_hooks';
import type { PGlite } from '@electric-sql/pglite';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

/**
 * A Kysely dialect for PGlite, the embedded PostgreSQL.
 *
 * PGlite is one connection. Kysely asks a driver for a connection per query or per transaction, so
 * the driver hands the single connection out under a FIFO lock: a transaction holds it from BEGIN
 * to COMMIT and no other request's statement can slip in between. A caller that already holds the
 * connection and asks for it again (using `db` instead of `trx` inside a transaction) would wait for
 * itself forever; that mistake is detected and thrown as an error instead.
 */
export class PGliteDialect implements Dialect {
  constructor(private readonly pglite: PGlite) {}

  /** Runs `fn` marked as inside one of this dialect's transactions (see `acquireConnection`). */
  runInTransactionScope<T>(fn: () => Promise<T>): Promise<T> {
    return transactionScope.run(this, fn);
  }

  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PGliteDriver(this.pglite, this);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }
}

class FifoLock {
  #held = false;
  readonly #waiters: Array<() => void> = [];

  async acquire(): Promise<void> {
    if (!this.#held) {
      this.#held = true;
      return;
    }
    await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }

  release(): void {
    const next = this.#waiters.shift();
    if (next) next();
    else this.#held = false;
  }
}

/** Marks the async call chain of a transaction callback with the dialect that runs it. */
export const transactionScope = new AsyncLocalStorage<PGliteDialect>();

class PGliteDriver implements Driver {
  readonly #lock = new FifoLock();
  readonly #connection: PGliteConnection;

  constructor(
    private readonly pglite: PGlite,
    private readonly dialect: PGliteDialect,
  ) {
    this.#connection = new PGliteConnection(pglite);
  }

  async init(): Promise<void> {
    await this.pglite.waitReady;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    if (transactionScope.getStore() === this.dialect) {
      throw new Error(
        'The embedded database connection is already held by this call chain: inside a transaction, ' +
          'run queries on the transaction object (trx), not on the database handle.',
      );
    }
    await this.#lock.acquire();
    return this.#connection;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const isolation = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : '';
    await connection.executeQuery(CompiledQuery.raw(`begin${isolation}`));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(): Promise<void> {
    this.#lock.release();
  }

  async destroy(): Promise<void> {
    // Wait for whoever holds the connection to finish before closing the database under them.
    await this.#lock.acquire();
    try {
      if (!this.pglite.closed) await this.pglite.close();
    } finally {
      this.#lock.release();
    }
  }
}

class PGliteConnection implements DatabaseConnection {
  constructor(private readonly pglite: PGlite) {}

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    // Without parameters, use the simple protocol (as node-postgres does) so that a script of several
    // statements, such as a migration, runs as one call; its last statement's rows are the result.
    const result =
      compiledQuery.parameters.length === 0
        ? ((await this.pglite.exec(compiledQuery.sql)).at(-1) ?? { rows: [] as R[], affectedRows: 0 })
        : await this.pglite.query<R>(compiledQuery.sql, [...compiledQuery.parameters]);
    const affected = result.affectedRows;
    return {
      rows: result.rows as R[],
      ...(affected !== undefined && /^\s*(insert|update|delete|merge)/i.test(compiledQuery.sql)
        ? { numAffectedRows: BigInt(affected) }
        : {}),
    };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming queries are not supported on the embedded database; page with LIMIT instead.');
  }
}
