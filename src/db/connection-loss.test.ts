import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL } from '../../test/db.js';
import { startTcpProxy, type TcpProxy } from '../../test/tcp-proxy.js';
import { openDatabase, type Database } from './client.js';

// PGlite runs in the process and cannot lose its connection: this is PostgreSQL's failure.
describe.skipIf(!TEST_DATABASE_URL)('a PostgreSQL connection lost mid-transaction', () => {
  let proxy: TcpProxy | undefined;
  let database: Database | undefined;
  afterEach(async () => {
    await database?.close().catch(() => undefined);
    await proxy?.close();
  });

  it('fails the transaction and reports the error, instead of crashing the process with an unhandled error event', async () => {
    const upstream = new URL(TEST_DATABASE_URL!);
    proxy = await startTcpProxy({ host: upstream.hostname, port: Number(upstream.port || 5432) });
    const viaProxy = new URL(TEST_DATABASE_URL!);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const reported: Error[] = [];
    database = await openDatabase({ engine: 'postgres', url: viaProxy.toString(), onConnectionError: (error) => reported.push(error) });

    // The client is checked out (inside a transaction, between two queries) when the server goes away:
    // the pool has no listener on it, and an unhandled 'error' would end the process (and this test run).
    const transaction = database.transaction(async (trx) => {
      await sql`select 1`.execute(trx);
      await proxy!.cut();
      await new Promise((resolve) => setTimeout(resolve, 200));
      await sql`select 2`.execute(trx);
    });
    await expect(transaction).rejects.toThrow();
    expect(reported.map((error) => error.message)).toContain('Connection terminated unexpectedly');

    // When the server is back, the pool makes a new connection; the dead one is gone.
    await proxy.restore();
    await expect(database.ping()).resolves.toBeUndefined();
  });
});
