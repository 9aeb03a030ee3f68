import { z } from 'zod';
import type { AuditEntryRow } from '../db/repositories/audit.repository.js';

/** An audit entry in the viewer. Where a request came from is shown only to instance administrators. */
export const auditEntrySchema = z
  .object({
    seq: z.number().int(),
    occurredAt: z.iso.datetime(),
    actorType: z.enum(['user', 'api_token', 'anonymous', 'system']),
    actorId: z.string().nullable(),
    organizationId: z.string().nullable(),
    action: z.string(),
    subjectType: z.string().nullable(),
    subjectId: z.string().nullable(),
    requestId: z.string().nullable(),
    ip: z.string().nullable().optional(),
    userAgent: z.string().nullable().optional(),
    details: z.record(z.string(), z.unknown()),
    hash: z.string(),
  })
  .meta({ id: 'AuditEntry' });

/**
 * An entry for the viewer. Addresses and browsers are personal data about the people who acted;
 * an organization's administrators review what was done, the instance's administrators also where from.
 */
export function presentAuditEntry(row: AuditEntryRow, options: { withOrigin: boolean }): z.infer<typeof auditEntrySchema> {
  return {
    seq: row.seq,
    occurredAt: new Date(row.occurred_at).toISOString(),
    actorType: row.actor_type,
    actorId: row.actor_id,
    organizationId: row.organization_id,
    action: row.action,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    requestId: row.request_id,
    ...(options.withOrigin ? { ip: row.ip, userAgent: row.user_agent } : {}),
    details: (row.details ?? {}) as Record<string, unknown>,
    hash: row.hash,
  };
}
