import { randomBytes } from 'node:crypto';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { prepareDatabase } from '../src/db/bootstrap.js';
import { embeddedDatabaseDir, openDatabase, quoteIdent, type Database, type Engine } from '../src/db/client.js';
import { TEST_MASTER_KEY } from './config.js';
import { insertOrganization } from './organizations.js';

// The real `vigia` command, run from source through tsx so that no build is needed.
const ROOT = path.resolve(import.meta.dirname, '..');
const CLI = path.join(ROOT, 'src', 'cli', 'main.ts');

/** The environment a spawned server or command gets: the test master key, quiet logs, nothing inherited but PATH. */
export function serverEnv(env: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? '', NODE_ENV: 'test', VIGIA_LOG_LEVEL: 'warn', VIGIA_MASTER_KEY: TEST_MASTER_KEY, ...env };
}

/** A free TCP port on 127.0.0.1 (free when asked; a server takes it right after). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** A Vigía server running as its own process, as in production. */
export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** What the process wrote to stderr so far (for a failing test's message). */
  stderr(): string;
  /** Kills it with `signal` and resolves when it has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Spawns `vigia start` with `env` (VIGIA_DATA_DIR or DATABASE_URL among it) on a free port and
 * resolves once /healthz answers; rejects with its stderr if it exits or takes longer than `timeoutMs`.
 */
export async function startServerProcess(env: Record<string, string>, timeoutMs = 60_000): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'start'], {
    cwd: ROOT,
    env: serverEnv({ HOST: '127.0.0.1', PORT: String(port), ...env }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-20_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const server: ServerProcess = {
    url,
    child,
    stderr: () => stderr,
    kill: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}: ${stderr}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return server;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await server.kill('SIGKILL');
  throw new Error(`the server did not answer within ${timeoutMs} ms: ${stderr}`);
}

/** Runs a `vigia` sub-command to completion with `env`, as an operator would. */
export function runVigia(args: string[], env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: ROOT,
    env: serverEnv(env),
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Where a spawned server keeps its data on `engine`, and how the test opens the same database. */
export interface ServerDatabase {
  env: Record<string, string>;
  open(): Promise<Database>;
  dispose(): Promise<void>;
}

/**
 * A fresh, migrated database for a spawned server, with one network that takes public reports:
 * a data directory on PGlite, a schema of its own (named in DATABASE_URL) on PostgreSQL (`postgresUrl`).
 * Kept free of vitest so that benches can use it.
 */
export async function serverDatabase(
  engine: Engine,
  postgresUrl: string | undefined = process.env.TEST_DATABASE_URL || undefined,
): Promise<ServerDatabase & { networkId: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigia-crash-'));
  let env: Record<string, string> = { VIGIA_DATA_DIR: dataDir };
  let open = () => openDatabase({ engine: 'pglite', dataDir: embeddedDatabaseDir(dataDir) });
  let dropSchema = async () => {};
  if (engine === 'postgres') {
    if (!postgresUrl) throw new Error('no PostgreSQL to use: set TEST_DATABASE_URL');
    const schema = `vigia_crash_${randomBytes(6).toString('hex')}`;
    const admin = await openDatabase({ engine: 'postgres', url: postgresUrl, poolSize: 1 });
    await sql.raw(`create schema ${quoteIdent(schema)}`).execute(admin.db);
    await admin.close();
    const url = new URL(postgresUrl);
    url.searchParams.set('options', `-c search_path=${schema},public`);
    env = { ...env, DATABASE_URL: url.toString() };
    open = () => openDatabase({ engine: 'postgres', url: postgresUrl, schema, poolSize: 2 });
    dropSchema = async () => {
      const cleaner = await openDatabase({ engine: 'postgres', url: postgresUrl, poolSize: 1 });
      await sql.raw(`drop schema ${quoteIdent(schema)} cascade`).execute(cleaner.db);
      await cleaner.close();
    };
  }
  const database = await open();
  await prepareDatabase(database);
  const network = await insertOrganization(database, { kind: 'network', name: 'Red de prueba' });
  await database.db.updateTable('organizations').set({ accepts_public_reports: true }).where('id', '=', network.id).execute();
  await database.close();
  return {
    env,
    open,
    networkId: network.id,
    dispose: async () => {
      await dropSchema();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A public report whose every free-text field is unique to `n`, so that a mixed-up record shows. */
export function floodReport(n: string) {
  return {
    whatHappened: `Testimonio ${n}: llegaron dos camionetas al albergue y preguntaron por las personas albergadas.`,
    when: { date: '2024-06-28', precision: 'day' },
    where: { stateCode: '26', municipalityCode: '26002', placeType: 'MIGRANT_SHELTER', shelterName: `Albergue ${n}` },
    who: { perpetratorType: 'GN', description: `ocho elementos (${n})` },
    contact: `señal ${n}`,
    consent: { mayContact: true, mayPublish: false },
    receiptSecret: randomBytes(32).toString('base64url'),
    // The bench and this test run the server with VIGIA_REPORT_POW_BITS=0: any challenge passes.
    pow: { challenge: 'none', nonce: '0' },
  };
}

/** Intake settings for a flood from one address: no proof of work, and a limit the flood cannot reach. */
export const FLOOD_ENV = { VIGIA_REPORT_POW_BITS: '0', VIGIA_REPORTS_PER_HOUR_PER_ADDRESS: '100000', VIGIA_WORKER: 'off' };
