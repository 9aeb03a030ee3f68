import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../../test/db.js';
import { testConfig } from '../../test/config.js';
import { buildApp } from './app.js';
import { AppError } from './errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describeEachEngine('HTTP app', (getDatabase) => {
  let app: FastifyInstance;
  let webDir: string;

  beforeAll(async () => {
    webDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigia-web-'));
    fs.writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><html lang="es"><title>Vigía</title></html>');
    app = await buildApp({ config: testConfig({ VIGIA_BODY_LIMIT_BYTES: '2048' }), database: getDatabase(), webDir });
    const typed = app.withTypeProvider<ZodTypeProvider>();
    typed.post(
      '/api/test/echo',
      { schema: { body: z.object({ count: z.number().int(), name: z.string().min(1) }).strict() } },
      async (request) => request.body,
    );
    typed.get('/api/test/boom', async () => {
      throw new Error('secret internal detail');
    });
    typed.get('/api/test/conflict', async () => {
      throw new AppError('CONFLICT', 'Already there.', { id: 1 });
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers /healthz and /readyz with the engine', async () => {
    expect((await app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready', engine: getDatabase().engine });
  });

  it('gives every response a request id and strict security headers', async () => {
    const response = await app.inject('/healthz');
    expect(response.headers['x-request-id']).toMatch(UUID);
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
  });

  it('answers unknown API routes with the JSON error shape', async () => {
    const response = await app.inject('/api/v1/nothing-here');
    expect(response.statusCode).toBe(404);
    const body = response.json();
    expect(body).toEqual({
      error: { code: 'NOT_FOUND', message: 'No route GET /api/v1/nothing-here.', requestId: expect.stringMatching(UUID) },
    });
    expect(body.error.requestId).toBe(response.headers['x-request-id']);
  });

  it('gives an address that does not decode the error shape, the security headers and its request id', async () => {
    const response = await app.inject('/api/v1/reference/states/%ff');
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'BAD_REQUEST', requestId: response.headers['x-request-id'] });
    expect(response.headers['x-request-id']).toMatch(UUID);
    expect(String(response.headers['content-security-policy'])).toContain("default-src 'self'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('names each invalid field in a 400', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/test/echo', payload: { count: 'three', extra: 1 } });
    expect(response.statusCode).toBe(400);
    const { error } = response.json();
    expect(error.code).toBe('VALIDATION_FAILED');
    const fields = (error.details as Array<{ field: string; location: string }>).map((d) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['count', 'name', 'extra']));
    expect(error.message).toMatch(/^Invalid body: /);
    expect(error.message).toContain('count');
  });

  it('rejects malformed JSON and oversized bodies clearly', async () => {
    const malformed = await app.inject({
      method: 'POST',
      url: '/api/test/echo',
      payload: '{"count": 1,',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error).toMatchObject({ code: 'BAD_REQUEST', message: 'The body is not valid JSON.' });

    const huge = await app.inject({ method: 'POST', url: '/api/test/echo', payload: { count: 1, name: 'x'.repeat(4096) } });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { limitBytes: 2048 } });
  });

  it('keeps internal details out of a 500 but gives the request id', async () => {
    const response = await app.inject('/api/test/boom');
    expect(response.statusCode).toBe(500);
    const { error } = response.json();
    expect(error.code).toBe('INTERNAL');
    expect(JSON.stringify(error)).not.toContain('secret internal detail');
    expect(error.message).toContain(error.requestId);
  });

  it('maps an AppError to its status and keeps its details', async () => {
    const response = await app.inject('/api/test/conflict');
    expect(response.statusCode).toBe(409);
    expect(response.json().error).toMatchObject({ code: 'CONFLICT', message: 'Already there.', details: { id: 1 } });
  });

  it('sends the browser app for known pages (200) and unknown pages (404)', async () => {
    const home = await app.inject({ url: '/', headers: { accept: 'text/html' } });
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('<title>Vigía</title>');
    const missing = await app.inject({ url: '/no/such/page', headers: { accept: 'text/html' } });
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain('<title>Vigía</title>');
    expect(home.body).toContain('<html lang="es"');
    // An English page says so before its scripts run; a Spanish one, and an address only starting "en", do not.
    for (const url of ['/en/statistics?state=26', '/en/data', '/en/subscribe']) {
      const english = await app.inject({ url, headers: { accept: 'text/html' } });
      expect(english.statusCode).toBe(200);
      expect(english.body).toContain('<html lang="en"');
    }
    // So does one with no such alert (404), which the app shows as its English "not found" page.
    const noAlert = await app.inject({ url: '/en/alerts/no-such-alert', headers: { accept: 'text/html' } });
    expect([noAlert.statusCode, noAlert.body.includes('<html lang="en"')]).toEqual([404, true]);
    for (const url of ['/estadisticas', '/entrar']) expect((await app.inject({ url, headers: { accept: 'text/html' } })).body).toContain('<html lang="es"');
  });

  it('publishes a valid OpenAPI 3.1 document that lists every route', async () => {
    const response = await app.inject('/api/openapi.json');
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toBe('3.1.0');
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);

    const documented = new Set<string>();
    for (const [p, item] of Object.entries(document.paths as Record<string, Record<string, unknown>>)) {
      for (const method of Object.keys(item)) documented.add(`${method.toUpperCase()} ${p}`);
    }
    const undocumented = app.registeredRoutes
      .filter((r) => !r.hidden && r.method !== 'HEAD' && !r.url.startsWith('/api/test/'))
      .map((r) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`)
      .filter((key) => !documented.has(key));
    expect(undocumented).toEqual([]);
    expect(documented).toContain('GET /readyz');
  });

  it('refuses to register an API route that does not declare who may call it', async () => {
    const another = await buildApp({ config: testConfig(), database: getDatabase(), webDir });
    expect(() => another.get('/api/v1/undeclared', async () => ({}))).toThrow(
      'Route GET /api/v1/undeclared declares no config.access',
    );
    await another.close();
  });

  it('serves a readable API docs page under its own strict policy', async () => {
    const response = await app.inject('/api/docs/');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('swagger-ui');
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('https:');
  });
});

describe('readiness when the database is gone', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
  });

  it('answers /readyz 503 with the error shape and keeps /healthz 200', async () => {
    const app = await buildApp({ config: testConfig(), database });
    await database.close();
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(503);
    expect(ready.json().error).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      message: 'The database is unreachable.',
      details: { database: 'down' },
    });
    expect((await app.inject('/healthz')).statusCode).toBe(200);
    await app.close();
  });
});

describe("each request's logger", () => {
  async function logsOf(level: string, requests: (app: FastifyInstance) => Promise<unknown>) {
    const lines: Array<Record<string, unknown>> = [];
    const database = await createTestDatabase('pglite');
    const app = await buildApp({ config: testConfig({ VIGIA_LOG_LEVEL: level }), database, logStream: { write: (line: string) => void lines.push(JSON.parse(line)) } });
    app.get('/api/test/fails', async () => {
      throw new Error('boom');
    });
    try {
      await requests(app);
    } finally {
      await app.close();
      await database.dispose();
    }
    return lines;
  }

  it('writes the request id on every line a request logs, and nothing for a quiet request at the warn level', async () => {
    const quiet = await logsOf('warn', async (app) => {
      expect((await app.inject('/healthz')).statusCode).toBe(200);
      expect((await app.inject('/api/test/fails')).statusCode).toBe(500);
    });
    // The failure is logged, with its request's id; the healthy request wrote nothing.
    expect(quiet.length).toBeGreaterThan(0);
    for (const line of quiet) expect(line.reqId).toMatch(UUID);
    expect(new Set(quiet.map((l) => l.reqId)).size).toBe(1);

    const chatty = await logsOf('info', async (app) => {
      await app.inject('/healthz');
    });
    expect(chatty.map((l) => l.msg)).toEqual(expect.arrayContaining(['incoming request', 'request completed']));
    for (const line of chatty) expect(line.reqId).toMatch(UUID);
  });
});
