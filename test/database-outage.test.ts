import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL } from './db.js';
import { FLOOD_ENV, floodReport, serverDatabase, startServerProcess, type ServerProcess } from './server-process.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';

// PGlite lives inside the server process and cannot become unreachable: this is PostgreSQL's failure.
describe.skipIf(!TEST_DATABASE_URL)('database outage (postgres, through a TCP proxy that is cut and restored)', { timeout: 180_000 }, () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  async function fileReport(server: ServerProcess) {
    return fetch(`${server.url}/api/v1/public/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify(floodReport(randomUUID())),
    });
  }

  it('answers 503 with Retry-After while the database is away, fails /readyz, and recovers without a restart', async () => {
    const target = await serverDatabase('postgres');
    cleanups.push(target.dispose);
    const upstream = new URL(TEST_DATABASE_URL!);
    const proxy: TcpProxy = await startTcpProxy({ host: upstream.hostname, port: Number(upstream.port || 5432) });
    cleanups.push(proxy.close);
    const viaProxy = new URL(target.env.DATABASE_URL!);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    // The inline outbox worker runs too: its polling must survive the outage as well.
    const server = await startServerProcess({ ...target.env, ...FLOOD_ENV, VIGIA_WORKER: 'inline', DATABASE_URL: viaProxy.toString() });
    cleanups.push(() => server.kill('SIGKILL'));

    expect((await fileReport(server)).status).toBe(201);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);

    await proxy.cut();
    for (const [method, path] of [
      ['POST', '/api/v1/public/reports'],
      ['GET', '/api/v1/public/intake'],
    ] as const) {
      const response = method === 'POST' ? await fileReport(server) : await fetch(`${server.url}${path}`);
      expect(response.status, `${method} ${path}`).toBe(503);
      expect(response.headers.get('retry-after'), `${method} ${path}`).toMatch(/^\d+$/);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('SERVICE_UNAVAILABLE');
      expect(body.error.message).toContain('database is unreachable');
    }
    const notReady = await fetch(`${server.url}/readyz`);
    expect(notReady.status).toBe(503);
    expect(((await notReady.json()) as { error: { details: unknown } }).error.details).toMatchObject({ database: 'down' });
    // A moment longer, for the worker's poll and the pool's idle clients to meet the outage too.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(server.child.exitCode, server.stderr()).toBeNull();

    await proxy.restore();
    const deadline = Date.now() + 30_000;
    let ready = 0;
    while (Date.now() < deadline && ready !== 200) {
      ready = (await fetch(`${server.url}/readyz`)).status;
      if (ready !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(ready).toBe(200);
    expect((await fileReport(server)).status).toBe(201);
    expect(server.child.exitCode).toBeNull();

    // Nothing half-written from the refused request: exactly the two acknowledged reports, each audited.
    await server.kill('SIGTERM');
    const database = await target.open();
    try {
      const reports = await database.db.selectFrom('reports').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const audited = await database.db
        .selectFrom('audit_log')
        .where('action', '=', 'report.filed')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(reports.n)).toBe(2);
      expect(Number(audited.n)).toBe(2);
    } finally {
      await database.close();
    }
  });
});
