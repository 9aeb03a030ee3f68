import type { Database } from '../db/client.js';

/** What the demo seeding did, in lines a newcomer can read in the terminal. */
export interface DemoSummary {
  lines: string[];
}

/**
 * Seeds the demo network into a prepared database, once (running it again changes nothing).
 * The network grows with the product: organizations and sign-ins, incidents, alerts.
 */
export async function seedDemo(database: Database): Promise<DemoSummary> {
  const states = await database.db
    .selectFrom('ref_states')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const municipalities = await database.db
    .selectFrom('ref_municipalities')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return {
    lines: [`Reference data: ${states.n} states, ${municipalities.n} municipalities, controlled vocabularies.`],
  };
}
