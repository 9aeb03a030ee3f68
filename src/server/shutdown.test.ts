import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.js';
import { testConfig } from '../../test/config.js';
import { buildApp } from './app.js';

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

describe('graceful shutdown', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
  });
  afterAll(async () => {
    await database.dispose();
  });

  it('lets an in-flight request finish, then refuses new connections', async () => {
    const app = await buildApp({ config: testConfig(), database });
    let release!: () => void;
    const started = new Promise<void>((resolveStarted) => {
      app.get('/api/test/slow', async () => {
        resolveStarted();
        await new Promise<void>((r) => (release = r));
        return { finished: true };
      });
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const port = (app.server.address() as AddressInfo).port;

    const inFlight = get(port, '/api/test/slow');
    await started;
    const closing = app.close();
    setTimeout(() => release(), 100);
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ finished: true });
    await closing;
    await expect(get(port, '/healthz')).rejects.toThrow(/ECONNREFUSED/);
  });
});
