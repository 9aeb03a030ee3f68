#!/usr/bin/env node
// Dependency gate: fails (exit 1) when a production dependency has a known high or critical vulnerability,
// as npm's advisory service reports it (`npm audit --omit=dev`). Development-only packages never reach a
// running Vigía, so they are reported by `npm audit` itself but do not fail the gate.
//
// When the advisory service cannot be asked (offline machine, a registry mirror without the audit endpoint),
// the gate cannot know: it says so loudly and passes, unless VIGIA_REQUIRE_AUDIT=1, where an unanswered
// audit fails too. Set that wherever the service is reachable (a CI with network access).
import { spawnSync } from 'node:child_process';

const FAILING = new Set(['high', 'critical']);

/**
 * Reads `npm audit --json` output: the failing vulnerabilities, or why the audit could not be made.
 * @param {string} stdout
 * @returns {{ kind: 'report', failing: { name: string, severity: string, titles: string[] }[], counts: Record<string, number> } | { kind: 'unavailable', reason: string }}
 */
export function readAuditOutput(stdout) {
  let parsed;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    return { kind: 'unavailable', reason: 'npm audit did not answer with JSON' };
  }
  if (!parsed || typeof parsed !== 'object' || !parsed.vulnerabilities || typeof parsed.vulnerabilities !== 'object') {
    const reason = typeof parsed?.message === 'string' ? parsed.message : parsed?.error?.summary || 'no audit report in the answer';
    return { kind: 'unavailable', reason };
  }
  const failing = Object.values(parsed.vulnerabilities)
    .filter((v) => v && FAILING.has(v.severity))
    .map((v) => ({
      name: String(v.name),
      severity: String(v.severity),
      titles: (Array.isArray(v.via) ? v.via : []).map((via) => (typeof via === 'string' ? `through ${via}` : `${via.title} (${via.url})`)),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { kind: 'report', failing, counts: parsed.metadata?.vulnerabilities ?? {} };
}

function main() {
  const result = spawnSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const outcome = readAuditOutput(result.stdout ?? '');
  if (outcome.kind === 'unavailable') {
    const required = process.env.VIGIA_REQUIRE_AUDIT === '1';
    console.error(`${required ? 'FAIL' : 'WARNING'}: the dependency audit could not be made: ${outcome.reason}`);
    if (!required) console.error('Known vulnerabilities were NOT checked. Set VIGIA_REQUIRE_AUDIT=1 where the advisory service is reachable.');
    process.exit(required ? 1 : 0);
  }
  const { failing, counts } = outcome;
  const summary = Object.entries(counts).filter(([k, n]) => k !== 'total' && n > 0).map(([k, n]) => `${n} ${k}`).join(', ');
  if (failing.length === 0) {
    console.log(`Dependency audit: no high or critical vulnerability in production dependencies${summary ? ` (${summary})` : ''}.`);
    return;
  }
  console.error(`Dependency audit FAILED: ${failing.length} production ${failing.length === 1 ? 'dependency has' : 'dependencies have'} a high or critical vulnerability:`);
  for (const v of failing) console.error(`  - ${v.name} (${v.severity}): ${v.titles.join('; ')}`);
  console.error('Update them (npm audit fix --omit=dev, or a newer release) before merging.');
  process.exit(1);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
