import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../db/schema.js';
import { enqueue } from '../jobs/outbox.js';
import { defineJob, JobRegistry, type JobDependencies } from '../jobs/registry.js';

/**
 * The early-warning jobs: `rules.evaluate` after a verified incident changes (or stops being
 * verified), `rules.evaluate_all` after a rule changes, `rules.evaluate_organization` after an
 * organization joins or leaves a network (its incidents now reach, or no longer reach, that network).
 * Each is written by the command that causes it, in its transaction, and run by the outbox worker
 * against the database it was given.
 */
export const RULES_EVALUATE_JOB_KIND = 'rules.evaluate';
export const RULES_EVALUATE_ALL_JOB_KIND = 'rules.evaluate_all';
export const RULES_EVALUATE_ORGANIZATION_JOB_KIND = 'rules.evaluate_organization';
// Evaluation only reads and writes the database: a failure is a conflict or an outage, worth retrying.
const ATTEMPTS = 10;

function databaseOf(dependencies: JobDependencies) {
  if (!dependencies.database) throw new Error('The early-warning jobs need the worker to pass the database');
  return dependencies.database;
}

export const rulesEvaluateJob = defineJob({
  kind: RULES_EVALUATE_JOB_KIND,
  version: 1,
  payloadSchema: z.object({ incidentId: z.uuid() }).strict(),
  handler: async (dependencies) => {
    const database = databaseOf(dependencies);
    const { evaluateIncident } = await import('./evaluate.js');
    return async ({ job }) => {
      await evaluateIncident(database, job.payload.incidentId);
    };
  },
});

export const rulesEvaluateAllJob = defineJob({
  kind: RULES_EVALUATE_ALL_JOB_KIND,
  version: 1,
  payloadSchema: z.object({ reason: z.enum(['rule_changed', 'requested']) }).strict(),
  handler: async (dependencies) => {
    const database = databaseOf(dependencies);
    const { evaluateAll } = await import('./evaluate.js');
    return async () => {
      await evaluateAll(database);
    };
  },
});

export const rulesEvaluateOrganizationJob = defineJob({
  kind: RULES_EVALUATE_ORGANIZATION_JOB_KIND,
  version: 1,
  payloadSchema: z.object({ organizationId: z.uuid() }).strict(),
  handler: async (dependencies) => {
    const database = databaseOf(dependencies);
    const { evaluateAll } = await import('./evaluate.js');
    return async ({ job }) => {
      await evaluateAll(database, { organizationId: job.payload.organizationId });
    };
  },
});

// Commands that only write these jobs need no configuration: this registry enqueues and runs nothing.
// Made on first use, because registry.ts imports this module (its default kinds include these).
let enqueuingRegistry: JobRegistry | undefined;
const enqueuing = () => (enqueuingRegistry ??= new JobRegistry([rulesEvaluateJob, rulesEvaluateAllJob, rulesEvaluateOrganizationJob], { defaultMaxAttempts: ATTEMPTS }));

/** Writes a rules.evaluate job for the incident, in the caller's transaction. */
export async function enqueueIncidentEvaluation(trx: Kysely<DB>, incidentId: string): Promise<void> {
  await enqueue(trx, { kind: RULES_EVALUATE_JOB_KIND, payload: { incidentId } }, enqueuing());
}

/** Writes a rules.evaluate_all job, in the caller's transaction. */
export async function enqueueFullEvaluation(trx: Kysely<DB>, reason: 'rule_changed' | 'requested'): Promise<void> {
  await enqueue(trx, { kind: RULES_EVALUATE_ALL_JOB_KIND, payload: { reason } }, enqueuing());
}

/** Writes a rules.evaluate_organization job, in the caller's transaction (a change of network membership). */
export async function enqueueOrganizationEvaluation(trx: Kysely<DB>, organizationId: string): Promise<void> {
  await enqueue(trx, { kind: RULES_EVALUATE_ORGANIZATION_JOB_KIND, payload: { organizationId } }, enqueuing());
}
