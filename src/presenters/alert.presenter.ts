import { z } from 'zod';
import type { AlertRow } from '../commands/alert-access.js';
import type { AlertVersionEntry } from '../commands/alert-versions.js';
import type { AlertStep } from '../commands/read-alert.js';
import { alertContentSchema } from '../domain/alert.js';
import { ALERT_SECTIONS, DO_NO_HARM_KINDS, type DoNoHarmFinding } from '../domain/alerts/do-no-harm.js';

/**
 * How alerts leave the server to the workspace. The content holds no sealed value by construction (the
 * do-no-harm check guards publication); what is left out here is internal bookkeeping.
 */

const statusSchema = z.enum(['draft', 'in_review', 'approved', 'published', 'withdrawn']);
const stepSchema = z.enum(['edit', 'submit', 'return', 'approve', 'publish', 'correct', 'withdraw']);

export const alertApprovalSchema = z.object({ reviewerId: z.string(), reviewerName: z.string().nullable(), approvedAt: z.date(), note: z.string().nullable() });

export const alertSchema = z
  .object({
    id: z.string(),
    networkId: z.string(),
    reference: z.string(),
    slug: z.string().nullable(),
    status: statusSchema,
    version: z.number().int(),
    content: alertContentSchema,
    incidentIds: z.array(z.string()),
    signalId: z.string().nullable(),
    publishedVersion: z.number().int().nullable(),
    publishedAt: z.date().nullable(),
    withdrawnAt: z.date().nullable(),
    withdrawalReason: z.string().nullable(),
    createdBy: z.string().nullable(),
    lastChangedBy: z.string().nullable(),
    createdAt: z.date(),
    updatedAt: z.date(),
    approvals: z.array(alertApprovalSchema),
    approvalsRequired: z.number().int(),
    nextSteps: z.array(stepSchema),
  })
  .meta({ id: 'Alert' });

export function presentAlert(
  row: AlertRow,
  extra: { approvals: z.infer<typeof alertApprovalSchema>[]; approvalsRequired: number; nextSteps: AlertStep[] },
): z.infer<typeof alertSchema> {
  return {
    id: row.id,
    networkId: row.network_id,
    reference: row.reference,
    slug: row.slug,
    status: row.status,
    version: row.version,
    content: alertContentSchema.parse(row.content),
    incidentIds: row.incident_ids,
    signalId: row.signal_id,
    publishedVersion: row.published_version,
    publishedAt: row.published_at,
    withdrawnAt: row.withdrawn_at,
    withdrawalReason: row.withdrawal_reason,
    createdBy: row.created_by,
    lastChangedBy: row.last_changed_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...extra,
  };
}

export const alertListItemSchema = z
  .object({
    id: z.string(),
    networkId: z.string(),
    reference: z.string(),
    status: statusSchema,
    version: z.number().int(),
    title: z.object({ es: z.string(), en: z.string() }),
    urgent: z.boolean(),
    slug: z.string().nullable(),
    updatedAt: z.date(),
    publishedAt: z.date().nullable(),
  })
  .meta({ id: 'AlertListItem' });

export function presentAlertListItem(row: AlertRow): z.infer<typeof alertListItemSchema> {
  const content = alertContentSchema.parse(row.content);
  return {
    id: row.id,
    networkId: row.network_id,
    reference: row.reference,
    status: row.status,
    version: row.version,
    title: { es: content.es.title, en: content.en.title },
    urgent: content.urgent,
    slug: row.slug,
    updatedAt: row.updated_at,
    publishedAt: row.published_at,
  };
}

export const doNoHarmFindingSchema = z
  .object({
    language: z.enum(['es', 'en']),
    section: z.enum(ALERT_SECTIONS),
    kind: z.enum(DO_NO_HARM_KINDS),
    excerpt: z.string(),
    start: z.number().int(),
    end: z.number().int(),
  })
  .meta({ id: 'DoNoHarmFinding' });

export function presentFinding(finding: DoNoHarmFinding): z.infer<typeof doNoHarmFindingSchema> {
  return finding;
}

export const alertVersionSchema = z
  .object({
    version: z.number().int(),
    status: statusSchema,
    changeKind: z.string(),
    note: z.string().nullable(),
    changedByName: z.string().nullable(),
    changedAt: z.date(),
    content: alertContentSchema,
    changes: z.array(z.object({ path: z.string(), kind: z.enum(['added', 'removed', 'changed']), before: z.unknown(), after: z.unknown() })),
  })
  .meta({ id: 'AlertVersion' });

export function presentAlertVersion(entry: AlertVersionEntry): z.infer<typeof alertVersionSchema> {
  const { changedBy: _omitted, ...rest } = entry;
  return rest;
}
