import { sql } from 'kysely';
import type { Database } from './client.js';

export type Readiness =
  | { ready: true; applied: number }
  | { ready: false; reason: string; checks: { database: 'up' | 'down'; migrations: 'applied' | 'pending' | 'unknown' } };

/** Whether the database answers and holds every migration this code expects. Never throws. */
export async function readinessOf(database: Database, expected: readonly string[]): Promise<Readiness> {
  let appliedIds: Set<string>;
  try {
    const result = await sql<{ id: string }>`select id from schema_migrations`.execute(database.db);
    appliedIds = new Set(result.rows.map((r) => r.id));
  } catch (error) {
    const missingTable = /schema_migrations/.test((error as Error).message);
    if (missingTable) {
      return { ready: false, reason: 'The database has not been migrated.', checks: { database: 'up', migrations: 'pending' } };
    }
    return { ready: false, reason: 'The database is unreachable.', checks: { database: 'down', migrations: 'unknown' } };
  }
  const pending = expected.filter((id) => !appliedIds.has(id));
  if (pending.length > 0) {
    return {
      ready: false,
      reason: `${pending.length} migration(s) not applied yet.`,
      checks: { database: 'up', migrations: 'pending' },
    };
  }
  return { ready: true, applied: appliedIds.size };
}
