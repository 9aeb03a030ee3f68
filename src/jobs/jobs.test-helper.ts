import { sql } from 'kysely';
import { testConfig } from '../../test/config.js';
import type { Database } from '../db/client.js';
import type { OutboxJobRow } from '../db/schema.js';
import { JobRegistry, type AnyJobDefinition } from './registry.js';
import type { JobLogger } from './worker.js';

/** A registry of test job kinds, with few attempts so that retry tests stay short. */
export function testRegistry(definitions: readonly AnyJobDefinition[], defaultMaxAttempts = 3): JobRegistry {
  return new JobRegistry(definitions, { defaultMaxAttempts, dependencies: { config: testConfig() } });
}

/** Each test starts from an empty outbox: the tests of one file share a database. */
export async function emptyOutbox(database: Database): Promise<void> {
  await sql`delete from outbox_jobs`.execute(database.db);
}

/** Every job in the outbox, oldest first. */
export function allJobs(database: Database): Promise<OutboxJobRow[]> {
  return database.db.selectFrom('outbox_jobs').selectAll().orderBy('id').execute();
}

/** One job by id; throws when it is missing, so a test fails at the line that expected it. */
export function jobById(database: Database, id: number): Promise<OutboxJobRow> {
  return database.db.selectFrom('outbox_jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** Polls `condition` every few milliseconds until it holds, failing after `timeoutMs`. */
export async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(5);
  }
}

/** Waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A logger that keeps what it was given, so tests can check what the worker reports (and what not). */
export function recordingLogger(): JobLogger & {
  entries: Array<{ level: string; fields: Record<string, unknown>; message: string }>;
} {
  const entries: Array<{ level: string; fields: Record<string, unknown>; message: string }> = [];
  const record = (level: string) => (fields: Record<string, unknown>, message: string) => {
    entries.push({ level, fields, message });
  };
  return { entries, info: record('info'), warn: record('warn'), error: record('error') };
}
