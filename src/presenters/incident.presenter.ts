import { z } from 'zod';
import type { IncidentRow } from '../commands/incident-access.js';
import type { IncidentSearchRow } from '../db/repositories/incident-search.js';
import { incidentDocumentSchema, type IncidentDocument } from '../domain/incident.js';
import { WORKFLOW_STEP_NAMES } from '../domain/incident-workflow.js';
import type { Actor } from '../policies/actor.js';
import { canOnIncident, type IncidentSubject } from '../policies/incident.policy.js';

const bilingual = z.object({ es: z.string(), en: z.string() });

/** One rule of DOMAIN.md §4 the record appears to break, with its citation. */
export const legalFindingSchema = z
  .object({
    ruleId: z.string(),
    ruleVersion: z.number(),
    title: bilingual,
    citation: bilingual,
    statement: bilingual,
    status: z.enum(['verified', 'to_confirm']),
    toConfirm: bilingual.nullable(),
    severity: z.string(),
    addressees: z.array(z.string()),
    recommendation: bilingual,
    actIds: z.array(z.string()),
    reasons: bilingual,
  })
  .meta({ id: 'LegalFinding' });

const statusSchema = z.enum(['reported', 'in_review', 'verified', 'rejected', 'needs_information']);

/** What the caller may do next, so the screens show only the buttons that will work. */
const permissionsSchema = z.object({
  edit: z.boolean(),
  readSensitive: z.boolean(),
  submit: z.boolean(),
  review: z.boolean(),
  archive: z.boolean(),
  share: z.boolean(),
  addEvidence: z.boolean(),
});

/** An incident with its record; identities, contacts and coordinates only when `sensitiveIncluded`. */
export const incidentSchema = z
  .object({
    id: z.uuid(),
    reference: z.string(),
    organizationId: z.uuid(),
    status: statusSchema,
    version: z.number().int(),
    document: incidentDocumentSchema,
    sensitiveIncluded: z.boolean(),
    legal: z.array(legalFindingSchema),
    hasEvidence: z.boolean(),
    sharedWithNetworks: z.boolean(),
    mayPublish: z.boolean(),
    createdAt: z.date(),
    updatedAt: z.date(),
    createdBy: z.uuid().nullable(),
    lastChangedBy: z.uuid().nullable(),
    verifiedBy: z.uuid().nullable(),
    verifiedAt: z.date().nullable(),
    archivedAt: z.date().nullable(),
    archiveReason: z.string().nullable(),
    /** Steps of the workflow this caller may take now. */
    nextSteps: z.array(z.enum(WORKFLOW_STEP_NAMES as [string, ...string[]])),
    permissions: permissionsSchema,
  })
  .meta({ id: 'Incident' });

export function presentIncident(
  row: IncidentRow,
  document: IncidentDocument,
  options: { actor: Actor; subject: IncidentSubject; sensitiveIncluded: boolean; nextSteps: string[] },
): z.infer<typeof incidentSchema> {
  const { actor, subject } = options;
  const may = (action: Parameters<typeof canOnIncident>[1]) => !row.archived_at && canOnIncident(actor, action, subject);
  return {
    id: row.id,
    reference: row.reference,
    organizationId: row.organization_id,
    status: row.status,
    version: row.version,
    document,
    sensitiveIncluded: options.sensitiveIncluded,
    legal: row.legal as z.infer<typeof legalFindingSchema>[],
    hasEvidence: row.has_evidence,
    sharedWithNetworks: row.shared_with_networks,
    mayPublish: row.may_publish,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    createdBy: row.created_by,
    lastChangedBy: row.last_changed_by,
    verifiedBy: row.verified_by,
    verifiedAt: row.verified_at,
    archivedAt: row.archived_at,
    archiveReason: row.archive_reason,
    nextSteps: row.archived_at ? [] : options.nextSteps,
    permissions: {
      edit: may('edit'),
      readSensitive: canOnIncident(actor, 'read_sensitive', subject),
      submit: may('submit_for_review'),
      review: may('verify'),
      archive: may('archive'),
      share: may('share'),
      addEvidence: may('add_evidence'),
    },
  };
}

/** One entry of an incident's history. */
export const incidentVersionSchema = z
  .object({
    version: z.number().int(),
    status: statusSchema,
    changeKind: z.string(),
    note: z.string().nullable(),
    changedBy: z.uuid().nullable(),
    changedByName: z.string().nullable(),
    changedAt: z.date(),
  })
  .meta({ id: 'IncidentVersion' });

/** What changed between two versions, path by path. */
export const incidentDiffSchema = z
  .object({
    from: z.number().int(),
    to: z.number().int(),
    sensitiveIncluded: z.boolean(),
    changes: z.array(z.object({ path: z.string(), kind: z.enum(['added', 'removed', 'changed']), before: z.unknown(), after: z.unknown() })),
  })
  .meta({ id: 'IncidentDiff' });

/** An incident in a search result or list: enough to find and open it, never its document. */
export const incidentListItemSchema = z
  .object({
    id: z.uuid(),
    reference: z.string(),
    title: z.string(),
    status: statusSchema,
    organizationId: z.uuid(),
    stateCode: z.string().nullable(),
    municipalityCode: z.string().nullable(),
    startDate: z.string().nullable(),
    datePrecision: z.enum(['day', 'month', 'approximate']).nullable(),
    actTypes: z.array(z.string()),
    perpetratorTypes: z.array(z.string()),
    hasEvidence: z.boolean(),
    sharedWithNetworks: z.boolean(),
    updatedAt: z.date(),
    rank: z.number().nullable(),
  })
  .meta({ id: 'IncidentListItem' });

export function presentIncidentListItem(row: IncidentSearchRow): z.infer<typeof incidentListItemSchema> {
  return {
    id: row.id,
    reference: row.reference,
    title: row.title,
    status: row.status,
    organizationId: row.organization_id,
    stateCode: row.state_code,
    municipalityCode: row.municipality_code,
    startDate: row.start_date,
    datePrecision: row.date_precision,
    actTypes: row.act_types,
    perpetratorTypes: row.perpetrator_types,
    hasEvidence: row.has_evidence,
    sharedWithNetworks: row.shared_with_networks,
    updatedAt: row.updated_at,
    rank: row.rank,
  };
}
