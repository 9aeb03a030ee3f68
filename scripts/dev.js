#!/usr/bin/env node
/**
 * `npm run dev`: Vigía with hot reload.
 *
 *   API server   tsx watch src/cli/main.ts start   restarts when server code changes
 *   web app      vite (src/web)                    updates the page in place when web code changes
 *
 * Open http://localhost:5173: Vite serves the app and forwards /api, /healthz and /readyz to the API
 * server, so the app uses the same relative URLs as in production.
 *
 * Environment (all optional):
 *   PORT             API server port (default 3000)
 *   HOST             API server address (default 127.0.0.1)
 *   VIGIA_WEB_PORT   Vite dev server port (default 5173)
 *   VIGIA_DATA_DIR   data directory (default ./data/dev, kept apart from ./data and the demo's)
 *   any other variable the server reads (DATABASE_URL, VIGIA_LOG_LEVEL, ...) is passed through.
 *
 * Ctrl+C (or SIGTERM) stops both. If either one exits on its own, the other is stopped and this
 * script exits non-zero, so a crash is never mistaken for a clean stop.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const STOP_GRACE_MS = 15_000;

/** The script a package installs as its command, run with this Node rather than through npx. */
function binOf(packageName, command) {
  const manifestPath = require.resolve(`${packageName}/package.json`);
  const { bin } = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  const relative = typeof bin === 'string' ? bin : bin[command];
  return path.join(path.dirname(manifestPath), relative);
}

const apiPort = process.env.PORT || '3000';
const webPort = process.env.VIGIA_WEB_PORT || '5173';
const dataDir = path.resolve(root, process.env.VIGIA_DATA_DIR || 'data/dev');
fs.mkdirSync(dataDir, { recursive: true });

const env = {
  ...process.env,
  NODE_ENV: 'development',
  PORT: apiPort,
  HOST: process.env.HOST || '127.0.0.1',
  VIGIA_DATA_DIR: dataDir,
  VIGIA_API_PORT: apiPort,
  VIGIA_WEB_PORT: webPort,
};

const children = [
  {
    name: 'api',
    args: [binOf('tsx', 'tsx'), 'watch', '--clear-screen=false', 'src/cli/main.ts', 'start'],
  },
  {
    name: 'web',
    args: [binOf('vite', 'vite'), '--config', path.join(root, 'vite.config.ts')],
  },
].map(({ name, args }) => {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env,
    // Neither reads the keyboard; an inherited terminal stdin would stop a background process group.
    stdio: ['ignore', 'inherit', 'inherit'],
    // Their own process group, so Ctrl+C reaches them once, from us. The API server treats a second
    // signal as "exit now", which would skip closing the embedded database cleanly.
    detached: true,
  });
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve({ name, code, signal }));
    child.on('error', (error) => {
      process.stderr.write(`dev: could not start ${name}: ${error.message}\n`);
      resolve({ name, code: 1, signal: null });
    });
  });
  return { name, child, exited };
});

let stopping = false;

function stopAll(signal) {
  for (const { child } of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  }
}

/** Exit codes that mean a process stopped cleanly when asked: 0, or 128 + the number of SIGINT or SIGTERM. */
const STOPPED_BY_SIGNAL = new Set([0, 130, 143]);

async function shutDown(reason, signal, exitCode) {
  if (stopping) return;
  stopping = true;
  process.stderr.write(`dev: ${reason}; stopping\n`);
  stopAll(signal);
  const forced = setTimeout(() => {
    process.stderr.write(`dev: still running after ${STOP_GRACE_MS / 1000} s; killing\n`);
    stopAll('SIGKILL');
  }, STOP_GRACE_MS);
  forced.unref();
  const results = await Promise.all(children.map((c) => c.exited));
  clearTimeout(forced);
  const failed = results.filter((r) => (r.code === null ? r.signal === 'SIGKILL' : !STOPPED_BY_SIGNAL.has(r.code)));
  for (const r of failed) process.stderr.write(`dev: ${r.name} exited with ${r.code ?? r.signal}\n`);
  process.exit(exitCode || (failed.length > 0 ? 1 : 0));
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => void shutDown(`received ${signal}`, signal, 0));
}

// A child that exits while nobody asked it to is a failure, even with code 0: dev mode needs both.
for (const { exited } of children) {
  exited.then((result) => {
    if (!stopping) void shutDown(`${result.name} exited unexpectedly (${result.code ?? result.signal})`, 'SIGTERM', 1);
  });
}

// If this script dies by an error of its own, the detached children must not outlive it.
process.on('exit', () => stopAll('SIGKILL'));

process.stdout.write(
  `dev: API on http://${env.HOST}:${apiPort} (data in ${path.relative(root, dataDir) || '.'}), ` +
    `web app on http://localhost:${webPort}\n`,
);
