import { z } from 'zod';
import { TERM_CODE_PATTERN } from '../domain/vocabularies.js';
import type { AlertRuleKind } from '../db/schema.js';

/**
 * The early-warning rule kinds and the parameters each reads. Rules are data (alert_rules, seeded from
 * data/reference/alert-rules.json); these schemas check both the shipped file and administrators' edits.
 */
export const ALERT_RULE_KINDS = ['spread', 'escalation', 'repeat_targeting', 'outside_mandate', 'severity'] as const satisfies readonly AlertRuleKind[];

const count = (max: number) => z.int({ error: 'must be a whole number' }).min(1, 'must be at least 1').max(max, `must be at most ${max}`);
const days = count(3650);
const codes = z.array(z.string().regex(TERM_CODE_PATTERN, 'must be vocabulary codes such as "DEATH_THREAT"')).max(50);

/** At least N verified incidents (optionally only some acts, perpetrators, places) in at least K states within D days. */
export const spreadParameters = z
  .object({ minIncidents: count(10_000), minStates: count(32), days, actTypes: codes.default([]), perpetratorTypes: codes.default([]), placeTypes: codes.default([]) })
  .strict();
/** Incidents in one state over the last D days ≥ factor × the average of the previous periods, and ≥ M. */
export const escalationParameters = z
  .object({ days, previousPeriods: count(24), factor: z.number().min(1, 'must be at least 1').max(100, 'must be at most 100'), minIncidents: count(10_000) })
  .strict();
/** The same shelter targeted at least R times within D days. */
export const repeatTargetingParameters = z.object({ minIncidents: count(1000), days }).strict();
/** An act matching one of these legal rules (data/reference/legal-rules.json), flagged at once. */
export const outsideMandateParameters = z
  .object({ legalRuleIds: z.array(z.string().regex(/^R\d{1,2}$/, 'must be legal rule ids such as "R1"')).min(1, 'must name at least one legal rule').max(50) })
  .strict();
/** Grave acts: urgent, for the addressees named. */
export const severityParameters = z
  .object({ actTypes: codes, defenderActTypes: codes.default([]), defenderVictimTypes: codes.default([]), addressees: codes.min(1, 'must name at least one addressee') })
  .strict()
  .refine((p) => p.actTypes.length + p.defenderActTypes.length > 0, { message: 'must name at least one act type', path: ['actTypes'] });

export const RULE_PARAMETER_SCHEMAS = {
  spread: spreadParameters,
  escalation: escalationParameters,
  repeat_targeting: repeatTargetingParameters,
  outside_mandate: outsideMandateParameters,
  severity: severityParameters,
} as const;

export type SpreadParameters = z.output<typeof spreadParameters>;
export type EscalationParameters = z.output<typeof escalationParameters>;
export type RepeatTargetingParameters = z.output<typeof repeatTargetingParameters>;
export type OutsideMandateParameters = z.output<typeof outsideMandateParameters>;
export type SeverityParameters = z.output<typeof severityParameters>;

/** A rule with its parameters parsed for its kind. */
export type AlertRule = { id: string; version: number; enabled: boolean } & (
  | { kind: 'spread'; parameters: SpreadParameters }
  | { kind: 'escalation'; parameters: EscalationParameters }
  | { kind: 'repeat_targeting'; parameters: RepeatTargetingParameters }
  | { kind: 'outside_mandate'; parameters: OutsideMandateParameters }
  | { kind: 'severity'; parameters: SeverityParameters }
);

/** Parses a stored rule; a stored rule that no longer parses is a bug, reported with its id. */
export function parseRule(row: { id: string; kind: AlertRuleKind; version: number; enabled: boolean; parameters: unknown }): AlertRule {
  const parsed = RULE_PARAMETER_SCHEMAS[row.kind].safeParse(row.parameters);
  if (!parsed.success) throw new Error(`Alert rule ${row.id} has parameters that do not fit its kind ${row.kind}`);
  return { id: row.id, version: row.version, enabled: row.enabled, kind: row.kind, parameters: parsed.data } as AlertRule;
}

const text = z.string().trim().min(1, 'must not be empty').max(1000, 'must be at most 1000 characters');
export const ruleDescriptionSchema = z.object({ es: text, en: text }).strict();

/** One rule as data/reference/alert-rules.json ships it. */
export const shippedRuleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lower-case words joined by "-"'),
    kind: z.enum(ALERT_RULE_KINDS),
    description: ruleDescriptionSchema,
    parameters: z.unknown(),
  })
  .strict()
  .superRefine((rule, ctx) => {
    const parsed = RULE_PARAMETER_SCHEMAS[rule.kind].safeParse(rule.parameters);
    if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: ['parameters', ...issue.path] } as never);
  });
export const alertRulesFileSchema = z
  .object({ name: z.literal('alert-rules'), version: z.string().min(1), description: z.string(), rules: z.array(shippedRuleSchema).min(1) })
  .strict();
