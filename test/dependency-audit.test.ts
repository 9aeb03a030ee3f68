import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The dependency gate against a registry run by the test, which answers npm's bulk advisory request the
 * way the public registry does: real `npm audit` over the real lockfile, with advisories we choose.
 */
const SCRIPT = path.resolve('scripts/audit-dependencies.mjs');

type Advisories = Record<string, { id: number; url: string; title: string; severity: string; vulnerable_versions: string }[]>;
let answer: { status: number; advisories: Advisories } = { status: 200, advisories: {} };
let asked: string[] = [];
let registry: http.Server;
let registryUrl = '';

beforeAll(async () => {
  registry = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.method === 'POST' && req.url?.startsWith('/-/npm/v1/security/advisories/bulk')) {
        asked.push(req.url);
        res.statusCode = answer.status;
        res.setHeader('content-type', 'application/json');
        res.end(answer.status === 200 ? JSON.stringify(answer.advisories) : '');
        return;
      }
      // Package documents npm asks for while working out fixes: none here, which npm tolerates.
      res.statusCode = 404;
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
  registryUrl = `http://127.0.0.1:${(registry.address() as AddressInfo).port}/`;
});

const caches: string[] = [];
function newCache(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigia-npm-cache-'));
  caches.push(dir);
  return dir;
}

afterAll(async () => {
  for (const dir of caches) fs.rmSync(dir, { recursive: true, force: true });
  await new Promise<void>((resolve) => registry.close(() => resolve()));
});

function runGate(env: Record<string, string> = {}): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SCRIPT], {
      // A cache of its own per run: npm keeps advisory answers, and each case asks with other ones.
      env: { ...process.env, npm_config_registry: registryUrl, npm_config_cache: newCache(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

function advisory(severity: string, title = 'Remote code execution in a test'): Advisories[string] {
  return [{ id: 1, url: 'https://advisories.example.org/1', title, severity, vulnerable_versions: '<1000.0.0' }];
}

describe('dependency audit gate', () => {
  it('fails on a critical vulnerability in a production dependency and names it', async () => {
    answer = { status: 200, advisories: { fastify: advisory('critical') } };
    const { code, output } = await runGate();
    expect(code).toBe(1);
    expect(output).toContain('fastify (critical): Remote code execution in a test');
  }, 60_000);

  it('fails on a high one as well, but passes on a moderate one', async () => {
    answer = { status: 200, advisories: { pino: advisory('high') } };
    expect((await runGate()).code).toBe(1);
    answer = { status: 200, advisories: { pino: advisory('moderate') } };
    const { code, output } = await runGate();
    expect(code).toBe(0);
    expect(output).toContain('no high or critical vulnerability');
  }, 60_000);

  it('does not fail on a development-only package, which never reaches a running Vigía', async () => {
    asked = [];
    answer = { status: 200, advisories: { vitest: advisory('critical') } };
    const { code } = await runGate();
    expect(code).toBe(0);
    expect(asked.length).toBe(1);
  }, 60_000);

  it('says loudly that nothing was checked when the advisory service refuses, and fails when an audit is required', async () => {
    answer = { status: 405, advisories: {} };
    const lenient = await runGate();
    expect(lenient.code).toBe(0);
    expect(lenient.output).toContain('Known vulnerabilities were NOT checked');
    const strict = await runGate({ VIGIA_REQUIRE_AUDIT: '1' });
    expect(strict.code).toBe(1);
    expect(strict.output).toContain('FAIL: the dependency audit could not be made');
  }, 60_000);
});
