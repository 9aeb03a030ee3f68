/**
 * Load on the real server:
 * `npm run bench:load -- [--engine pglite|postgres] [--seconds 10] [--connections 50] [--rounds 3]`
 * (postgres: BENCH_DATABASE_URL, else TEST_DATABASE_URL, in a schema of its own dropped afterwards).
 *
 * Spawns `vigia start` as a process, and a bare Fastify route in a process of its own, and measures in the
 * same run: a public read (GET /api/v1/reference/states) against the bare route, in `--rounds` alternating
 * rounds (medians printed, so a burst of other work on the machine does not decide the ratio), then
 * anonymous report intake (POST /api/v1/public/reports, every request a new report).
 *
 * Reads are driven by wrk when it is installed (`apt-get install -y wrk`): autocannon parses responses with
 * a JavaScript HTTP parser, and on a small machine it, not the server, becomes the limit for an answer
 * with the real server's twenty headers. Intake (a new body per request) is driven by autocannon. For every
 * run the server's own CPU time per answered request is printed too, read from /proc: a figure that does
 * not depend on which side of the socket is the bottleneck.
 *
 * The server runs with VIGIA_REPORT_POW_BITS=0 and a per-address limit of 100,000 reports an hour, because
 * every request comes from one address and solving proofs of work would measure the client, not the server.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
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
const rounds = Number(argument('rounds', '3'));
if (engine !== 'pglite' && engine !== 'postgres') throw new Error('--engine must be pglite or postgres');
if (!(seconds > 0) || !(connections > 0) || !(rounds >= 1)) throw new Error('--seconds, --connections and --rounds must be positive');
const wrk = spawnSync('wrk', ['--version'], { encoding: 'utf8' }).error ? null : 'wrk';

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  failed: number;
  /** The measured process's CPU time (user + system) per answered request, in microseconds. */
  cpuMicros: number;
}

const TICK_MICROS = 1e6 / Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim() || 100);

/** User + system CPU ticks a process has used so far (Linux /proc). */
function cpuTicks(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

async function withCpu(pid: number, run: () => Promise<Omit<Figures, 'cpuMicros'>>): Promise<Figures> {
  const before = cpuTicks(pid);
  const figures = await run();
  return { ...figures, cpuMicros: ((cpuTicks(pid) - before) * TICK_MICROS) / Math.max(1, figures.ok) };
}

async function autocannonRun(options: autocannon.Options, okStatus: number): Promise<Omit<Figures, 'cpuMicros'>> {
  let ok = 0;
  let failed = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ connections, duration: seconds, ...options }, (error, finished) => (error ? reject(error) : resolve(finished)));
    instance.on('response', (_client, statusCode) => {
      if (statusCode === okStatus) ok += 1;
      else failed += 1;
    });
  });
  return { rps: ok / seconds, p50: result.latency.p50, p99: result.latency.p99, ok, failed: failed + result.errors + result.timeouts };
}

/** wrk's latency figure ("812.00us", "1.20ms", "2.01s") in milliseconds. */
function wrkMillis(text: string): number {
  const match = /^([\d.]+)(us|ms|s)$/.exec(text);
  if (!match) throw new Error(`wrk printed a latency it was not expected to: ${text}`);
  return Number(match[1]) * { us: 0.001, ms: 1, s: 1000 }[match[2] as 'us' | 'ms' | 's'];
}

/** One GET load with wrk; a status other than 2xx/3xx, a socket error or a timeout counts as failed. */
function wrkRun(url: string): Promise<Omit<Figures, 'cpuMicros'>> {
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', url], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => {
      const total = /(\d+) requests in/.exec(out);
      const p50 = /^\s+50%\s+(\S+)/m.exec(out);
      const p99 = /^\s+99%\s+(\S+)/m.exec(out);
      if (code !== 0 || !total || !p50 || !p99) return reject(new Error(`wrk failed (${code}):\n${out}`));
      const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
      const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
      const errors = socketErrors ? socketErrors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
      const ok = Number(total[1]) - non2xx;
      resolve({ rps: ok / seconds, p50: wrkMillis(p50[1]!), p99: wrkMillis(p99[1]!), ok, failed: non2xx + errors });
    });
  });
}

function getRun(url: string): Promise<Omit<Figures, 'cpuMicros'>> {
  return wrk ? wrkRun(url) : autocannonRun({ url }, 200);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The median of each figure over the rounds (ok and failed are summed). */
function medians(runs: Figures[]): Figures {
  return {
    rps: median(runs.map((r) => r.rps)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    cpuMicros: median(runs.map((r) => r.cpuMicros)),
    ok: runs.reduce((sum, r) => sum + r.ok, 0),
    failed: runs.reduce((sum, r) => sum + r.failed, 0),
  };
}

function print(label: string, figures: Figures, baseline?: Figures): void {
  const ratio = baseline
    ? `  ${((100 * figures.rps) / baseline.rps).toFixed(1)} % of bare's throughput, ${(figures.cpuMicros / baseline.cpuMicros).toFixed(2)}x its CPU per request`
    : '';
  console.log(
    `${label.padEnd(38)} ${figures.rps.toFixed(0).padStart(7)} ok/s  p50 ${figures.p50.toFixed(1).padStart(5)} ms  p99 ${figures.p99.toFixed(1).padStart(5)} ms` +
      `  ${figures.cpuMicros.toFixed(0).padStart(4)} µs CPU/req  (${figures.ok} ok, ${figures.failed} failed)${ratio}`,
  );
}

async function startBare(): Promise<{ url: string; pid: number; stop(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'bare-server.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout! });
  const port = await new Promise<string>((resolve) => lines.once('line', resolve));
  return { url: `http://127.0.0.1:${port}`, pid: child.pid!, stop: () => child.kill('SIGTERM') };
}

const target = await serverDatabase(engine, process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || undefined);
const server = await startServerProcess({ ...target.env, ...FLOOD_ENV, VIGIA_LOG_LEVEL: 'error' });
const bare = await startBare();
try {
  const serverPid = server.child.pid!;
  console.log(
    `load on ${engine}: ${connections} connections, ${seconds} s per run, ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(2)}; ` +
      'server with VIGIA_REPORT_POW_BITS=0, VIGIA_REPORTS_PER_HOUR_PER_ADDRESS=100000',
  );
  console.log(
    wrk
      ? `reads driven by wrk, ${rounds} alternating rounds (medians); intake by autocannon`
      : `reads driven by autocannon (wrk not installed: apt-get install -y wrk), whose JavaScript HTTP parser can be the limit; ${rounds} alternating rounds (medians)`,
  );
  const readUrl = `${server.url}/api/v1/reference/states`;
  await getRun(readUrl); // warm-up: the first answer is computed and cached, the JIT settles
  const bareRuns: Figures[] = [];
  const readRuns: Figures[] = [];
  for (let round = 0; round < rounds; round += 1) {
    bareRuns.push(await withCpu(bare.pid, () => getRun(`${bare.url}/bare`)));
    readRuns.push(await withCpu(serverPid, () => getRun(readUrl)));
  }
  const bareFigures = medians(bareRuns);
  const reads = medians(readRuns);
  print('bare Fastify GET', bareFigures);
  print('GET /api/v1/reference/states', reads, bareFigures);
  if (rounds > 1) console.log(`  read/bare per round: ${readRuns.map((r, i) => `${((100 * r.rps) / bareRuns[i]!.rps).toFixed(1)} %`).join(', ')}`);
  const intake = await withCpu(serverPid, () =>
    autocannonRun(
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
    ),
  );
  print('POST /api/v1/public/reports', intake);
  const readsMet = reads.rps >= bareFigures.rps / 2;
  const intakeMet = intake.p99 < 100 && intake.rps >= 1000;
  console.log(`targets (PostgreSQL): reads >= 50 % of bare ${readsMet ? 'met' : 'NOT met'}; intake p99 < 100 ms and >= 1,000 reports/s ${intakeMet ? 'met' : 'NOT met'}`);
} finally {
  bare.stop();
  await server.kill('SIGTERM');
  await target.dispose();
}
