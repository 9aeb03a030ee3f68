import { z } from 'zod';
import type { RuleRecord } from '../alerts/rules.js';
import type { SignalRecord } from '../alerts/signals.js';

/**
 * Signals and rules as they leave the server. A signal carries only ids, codes and counts: which
 * incidents, never what is in them (the incident pages show those to whoever may see them).
 */
const localized = z.object({ es: z.string(), en: z.string() });

export const signalFiguresSchema = z.object({
  kind: z.string(),
  incidents: z.number(),
  states: z.array(z.string()),
  from: z.string().optional(),
  to: z.string().optional(),
  days: z.number().optional(),
  current: z.number().optional(),
  previousAverage: z.number().optional(),
  shelterOrganizationId: z.string().optional(),
  legalRuleId: z.string().optional(),
  actTypes: z.array(z.string()).optional(),
  addressees: z.array(z.string()).optional(),
});

export const signalSchema = z.object({
  id: z.string(),
  networkId: z.string(),
  rule: z.object({ id: z.string(), kind: z.string(), version: z.number(), description: localized }),
  status: z.enum(['open', 'dismissed', 'drafted']),
  urgent: z.boolean(),
  figures: signalFiguresSchema,
  incidentIds: z.array(z.string()),
  alertId: z.string().nullable(),
  dismissalReason: z.string().nullable(),
  firstFiredAt: z.string(),
  lastFiredAt: z.string(),
});
export type PresentedSignal = z.infer<typeof signalSchema>;

export function presentSignal(signal: SignalRecord): PresentedSignal {
  return {
    id: signal.id,
    networkId: signal.networkId,
    rule: { id: signal.ruleId, kind: signal.ruleKind, version: signal.ruleVersion, description: signal.description },
    status: signal.status,
    urgent: signal.urgent,
    figures: signalFiguresSchema.parse(signal.figures),
    incidentIds: signal.incidentIds,
    alertId: signal.alertId,
    dismissalReason: signal.dismissalReason,
    firstFiredAt: signal.firstFiredAt.toISOString(),
    lastFiredAt: signal.lastFiredAt.toISOString(),
  };
}

export const alertRuleSchema = z.object({
  id: z.string(),
  kind: z.enum(['spread', 'escalation', 'repeat_targeting', 'outside_mandate', 'severity']),
  description: localized,
  parameters: z.record(z.string(), z.unknown()),
  version: z.number(),
  enabled: z.boolean(),
  updatedAt: z.string(),
});

export function presentAlertRule(rule: RuleRecord): z.infer<typeof alertRuleSchema> {
  return { ...rule, parameters: rule.parameters as Record<string, unknown>, updatedAt: rule.updatedAt.toISOString() };
}
