import type { Kysely } from 'kysely';
import { z } from 'zod';
import { appendAudit } from '../audit/audit-log.js';
import { auditSource, type RequestContext } from '../commands/organization-access.js';
import type { Database } from '../db/client.js';
import type { AlertRuleKind, DB } from '../db/schema.js';
import type { Actor } from '../policies/actor.js';
import { AppError } from '../server/errors.js';
import { RULE_PARAMETER_SCHEMAS, ruleDescriptionSchema } from './rule-kinds.js';
import { enqueueFullEvaluation } from './rules.jobs.js';

/** A rule as the API shows it: anyone signed in may read the rules; instance administrators edit them. */
export interface RuleRecord {
  id: string;
  kind: AlertRuleKind;
  description: { es: string; en: string };
  parameters: unknown;
  version: number;
  enabled: boolean;
  updatedAt: Date;
}

function toRecord(row: { id: string; kind: AlertRuleKind; description_es: string; description_en: string; parameters: unknown; version: number; enabled: boolean; updated_at: Date }): RuleRecord {
  return { id: row.id, kind: row.kind, description: { es: row.description_es, en: row.description_en }, parameters: row.parameters, version: row.version, enabled: row.enabled, updatedAt: row.updated_at };
}

export async function listRules(db: Kysely<DB>): Promise<RuleRecord[]> {
  return (await db.selectFrom('alert_rules').selectAll().orderBy('kind').orderBy('id').execute()).map(toRecord);
}

export async function readRule(db: Kysely<DB>, ruleId: string): Promise<RuleRecord> {
  const row = await db.selectFrom('alert_rules').selectAll().where('id', '=', ruleId).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', 'No such rule.');
  return toRecord(row);
}

/** What an administrator sends: the whole rule but its id and kind, which never change. */
export const ruleEditSchema = z
  .object({ description: ruleDescriptionSchema, parameters: z.record(z.string(), z.unknown()), enabled: z.boolean() })
  .strict();
export type RuleEdit = z.infer<typeof ruleEditSchema>;

/**
 * An instance administrator's edit of a rule: checked against the rule's kind, written as a new
 * version, audited, and followed by a full re-evaluation (a rules.evaluate_all job in the same
 * transaction), so signals reflect the rule as it now stands.
 */
export async function updateRule(options: {
  database: Database;
  actor: Actor;
  ruleId: string;
  edit: RuleEdit;
  context?: RequestContext;
}): Promise<RuleRecord> {
  const { actor, edit } = options;
  if (actor.kind !== 'user' || !actor.isInstanceAdmin) throw new AppError('FORBIDDEN', 'Only instance administrators edit the early-warning rules.');
  return options.database.transaction(async (trx) => {
    const current = await trx.selectFrom('alert_rules').selectAll().where('id', '=', options.ruleId).forUpdate().executeTakeFirst();
    if (!current) throw new AppError('NOT_FOUND', 'No such rule.');
    const parsed = RULE_PARAMETER_SCHEMAS[current.kind].safeParse(edit.parameters);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => ({ location: 'body', field: ['parameters', ...issue.path].join('.'), message: issue.message }));
      throw new AppError('VALIDATION_FAILED', `Invalid body: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`, problems);
    }
    const values = { description_es: edit.description.es, description_en: edit.description.en, parameters: JSON.stringify(parsed.data), enabled: edit.enabled };
    const version = current.version + 1;
    const row = await trx
      .updateTable('alert_rules')
      .set({ ...values, version, updated_by: actor.userId, updated_at: new Date() })
      .where('id', '=', current.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx.insertInto('alert_rule_versions').values({ rule_id: current.id, version, ...values, changed_by: actor.userId }).execute();
    await appendAudit(trx, {
      ...auditSource(actor, options.context),
      action: 'alert_rule.updated',
      subjectType: 'alert_rule',
      subjectId: current.id,
      details: { version, enabled: edit.enabled },
    });
    await enqueueFullEvaluation(trx, 'rule_changed');
    return toRecord(row);
  });
}
