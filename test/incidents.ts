import { randomUUID } from 'node:crypto';
import type { Database } from '../src/db/client.js';

/**
 * Inserts an incident in one line, straight into the table (the incident commands come separately):
 * a unique reference, a title and the smallest valid document.
 */
export async function insertIncident(
  database: Database,
  values: { organizationId: string; title?: string; sharedWithNetworks?: boolean },
): Promise<{ id: string; reference: string }> {
  return database.db
    .insertInto('incidents')
    .values({
      id: randomUUID(),
      organization_id: values.organizationId,
      reference: `TEST-${randomUUID().slice(0, 8).toUpperCase()}`,
      document: JSON.stringify({ acts: [], victims: [], sources: [] }),
      title: values.title ?? 'Incidente de prueba',
      shared_with_networks: values.sharedWithNetworks ?? false,
    })
    .returning(['id', 'reference'])
    .executeTakeFirstOrThrow();
}
