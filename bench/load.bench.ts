/**
 * Load on the real server: `npm run bench:load -- [--engine pglite|postgres] [--seconds 10] [--connections 50]`
 * (postgres: BENCH_DATABASE_URL, else TEST_DATABASE_URL, in a schema of its own dropped afterwards).
 * Spawns `vigia start` as a process and drives it with autocannon: anonymous report intake
 * (POST /api/v1/public/reports, every request a new report) and a public read (GET /api/v1/reference/states),
 * each against a bare Fastify route in its own process measured in the same run.
 * The server runs with VIGIA_REPORT_POW_BITS=0 and a per-address limit of 100,000 reports an hour, because
 * every request comes from one address and solving proofs of work would measure the client, not the server.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import autocannon from 'autocannon';
import { FLOOD_ENV, floodReport, serverDatabase, startServerProcess } from '../test/server-process.js';

function argument(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const engine = argument('engine', 'pglite');
const seconds = Number(argument('seconds', '10'));
const connections = Number(argument('connections', '50'));
if (engine !== 'pglite' && engine !== 'postgres') throw new Error('--engine must be pglite or postgres');
if (!(seconds > 0) || !(connections > 0)) throw new Error('--seconds and --connections must be positive');

interface Figures {
  label: string;
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  failed: number;
}

async function measure(label: string, options: autocannon.Options, okStatus: number): Promise<Figures> {
  let ok = 0;
  let failed = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ connections, duration: seconds, ...options }, (error, finished) => (error ? reject(error) : resolve(finished)));
    instance.on('response', (_client, statusCode) => {
      if (statusCode === okStatus) ok += 1;
      else failed += 1;
    });
  });
  return { label, rps: ok / seconds, p50: result.latency.p50, p99: result.latency.p99, ok, failed: failed + result.errors + result.timeouts };
}

function print(figures: Figures, baseline?: Figures): void {
  const ratio = baseline ? `  ${((100 * figures.rps) / baseline.rps).toFixed(1)} % of bare` : '';
  console.log(
    `${figures.label.padEnd(34)} ${figures.rps.toFixed(0).padStart(7)} ok/s  p50 ${String(figures.p50).padStart(4)} ms  p99 ${String(figures.p99).padStart(4)} ms` +
      `  (${figures.ok} ok, ${figures.failed} failed)${ratio}`,
  );
}

async function startBare(): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'bare-server.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout! });
  const port = await new Promise<string>((resolve) => lines.once('line', resolve));
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
}

const target = await serverDatabase(engine, process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || undefined);
const server = await startServerProcess({ ...target.env, ...FLOOD_ENV, VIGIA_LOG_LEVEL: 'error' });
const bare = await startBare();
try {
  console.log(`load on ${engine}: ${connections} connections, ${seconds} s per run; server with VIGIA_REPORT_POW_BITS=0, VIGIA_REPORTS_PER_HOUR_PER_ADDRESS=100000`);
  const bareFigures = await measure('bare Fastify GET', { url: `${bare.url}/bare` }, 200);
  print(bareFigures);
  const reads = await measure('GET /api/v1/reference/states', { url: `${server.url}/api/v1/reference/states` }, 200);
  print(reads, bareFigures);
  const intake = await measure(
    'POST /api/v1/public/reports',
    {
      url: server.url,
      requests: [
        {
          method: 'POST',
          path: '/api/v1/public/reports',
          setupRequest: (request) => ({
            ...request,
            headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
            body: JSON.stringify({ ...floodReport(randomBytes(6).toString('hex')) }),
          }),
        },
      ],
    },
    201,
  );
  print(intake, bareFigures);
  const readsMet = reads.rps >= bareFigures.rps / 2;
  const intakeMet = intake.p99 < 100 && intake.rps >= 1000;
  console.log(`targets (PostgreSQL): reads >= 50 % of bare ${readsMet ? 'met' : 'NOT met'}; intake p99 < 100 ms and >= 1,000 reports/s ${intakeMet ? 'met' : 'NOT met'}`);
} finally {
  bare.stop();
  await server.kill('SIGTERM');
  await target.dispose();
}
