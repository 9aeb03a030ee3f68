import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_MASTER_KEY } from './config.js';

// These run the built `vigia` command as a user would (the test command builds first).
const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'bin', 'vigia.js');

function vigia(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', VIGIA_LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'vigia-cli-'));
}

beforeAll(() => {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'))) {
    throw new Error('Vigía is not built: run `npm run build` (npm test does it first).');
  }
});

// Each run starts a process and opens an embedded database on disk: seconds each on a busy machine.
describe('vigia command', { timeout: 180_000 }, () => {
  it('explains itself, and every sub-command has --help', () => {
    const help = vigia(['--help']);
    expect(help.status).toBe(0);
    for (const command of ['start', 'worker', 'db', 'demo']) expect(help.stdout).toContain(command);
    for (const sub of [['start'], ['worker'], ['db', 'migrate'], ['db', 'status'], ['demo'], ['audit', 'verify'], ['audit', 'checkpoint']]) {
      const result = vigia([...sub, '--help']);
      expect(result.status, sub.join(' ')).toBe(0);
      expect(result.stdout).toContain('Usage: vigia');
    }
  });

  it('fails with a message on an unknown command', () => {
    const result = vigia(['fly']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("unknown command 'fly'");
  });

  it('names a bad variable and exits 1', () => {
    const result = vigia(['db', 'status'], { PORT: 'eighty', VIGIA_DATA_DIR: tempDataDir() });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Invalid configuration');
    expect(result.stderr).toContain('PORT');
  });

  it('reports pending migrations (exit 1), migrates, then reports up to date (exit 0)', () => {
    const env = { VIGIA_DATA_DIR: tempDataDir() };
    const before = vigia(['db', 'status'], env);
    expect(before.status).toBe(1);
    expect(before.stdout).toMatch(/pending\s+20261128T0400_foundation/);
    expect(before.stderr).toContain('run `vigia db migrate`');

    const migrate = vigia(['db', 'migrate'], env);
    expect(migrate.status).toBe(0);
    expect(migrate.stdout).toContain('Applied');
    expect(migrate.stdout).toContain('Loaded reference data');

    const after = vigia(['db', 'status'], env);
    expect(after.status).toBe(0);
    expect(after.stdout).toContain('Up to date.');
    expect(vigia(['db', 'migrate'], env).stdout).toContain('No pending migrations.');
  });

  it('says plainly when the PostgreSQL server cannot be reached', () => {
    const result = vigia(['db', 'migrate'], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      'vigia: cannot reach the database (ECONNREFUSED at 127.0.0.1:1). ' +
        'Check DATABASE_URL and that the PostgreSQL server is running.\n',
    );
  });

  it('runs due jobs once with `worker --once`', () => {
    const result = vigia(['worker', '--once'], { VIGIA_DATA_DIR: tempDataDir() });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Ran 0 job(s)');
  });

  it('refuses to start without a master key, naming how to provide one', () => {
    const result = vigia(['start'], { VIGIA_DATA_DIR: tempDataDir() });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('No master key: set VIGIA_MASTER_KEY or VIGIA_MASTER_KEY_FILE');
    expect(result.stderr).not.toContain('    at ');
  });

  it('refuses a master key that is not 32 bytes of base64, naming the variable', () => {
    const result = vigia(['start'], { VIGIA_DATA_DIR: tempDataDir(), VIGIA_MASTER_KEY: 'c2hvcnQ=' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('VIGIA_MASTER_KEY: must be 32 random bytes written in base64');
  });

  it('creates a master key file once with `keys init`, then re-wraps data keys with `keys rotate`', () => {
    const dataDir = tempDataDir();
    const first = vigia(['keys', 'init'], { VIGIA_DATA_DIR: dataDir });
    expect(first.status, first.stderr).toBe(0);
    const file = path.join(dataDir, 'keys', 'master.key');
    expect(first.stdout).toContain(file);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const key = fs.readFileSync(file, 'utf8');
    const again = vigia(['keys', 'init'], { VIGIA_DATA_DIR: dataDir });
    expect(again.stdout).toContain('already exists');
    expect(fs.readFileSync(file, 'utf8')).toBe(key);

    const rotated = vigia(['keys', 'rotate', '--new-data-keys'], { VIGIA_DATA_DIR: dataDir });
    expect(rotated.status, rotated.stderr).toBe(0);
    expect(rotated.stdout).toContain('re-wrapped 0 data key(s)');
  });

  it('starts, becomes ready, and exits 0 on SIGTERM', async () => {
    const port = String(20_000 + Math.floor(Math.random() * 20_000));
    const child = spawn(process.execPath, [BIN, 'start'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', VIGIA_DATA_DIR: tempDataDir(), PORT: port, VIGIA_LOG_LEVEL: 'info', VIGIA_MASTER_KEY: TEST_MASTER_KEY },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

    let ready: Response | undefined;
    for (let i = 0; i < 360 && !ready; i++) {
      await new Promise((r) => setTimeout(r, 250));
      ready = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
    }
    expect(ready?.status, output).toBe(200);
    expect(await ready!.json()).toMatchObject({ status: 'ready', engine: 'pglite' });
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('Vigía is listening');
    expect(output).toContain('stopped');
    // Logs are JSON lines and carry no request bodies or query strings.
    for (const line of output.trim().split('\n')) expect(() => JSON.parse(line), line).not.toThrow();
  });
});
