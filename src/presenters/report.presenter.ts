import { z } from 'zod';
import type { ReportForTriage } from '../commands/read-report.js';
import type { ReportRow } from '../commands/report-access.js';

const statusSchema = z.enum(['new', 'needs_information', 'incident_created', 'attached', 'rejected']);

/** A report in the triage inbox: codes and dates only, no testimony (opening one is a separate, audited read). */
export const reportSummarySchema = z
  .object({
    id: z.uuid(),
    receiptCode: z.string(),
    channel: z.enum(['public', 'member']),
    status: statusSchema,
    stateCode: z.string().nullable(),
    municipalityCode: z.string().nullable(),
    placeType: z.string().nullable(),
    occurredOn: z.string().nullable(),
    datePrecision: z.enum(['day', 'month', 'approximate']).nullable(),
    perpetratorType: z.string().nullable(),
    mayContact: z.boolean(),
    mayPublish: z.boolean(),
    incidentId: z.uuid().nullable(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'ReportSummary' });

export function presentReportSummary(row: ReportRow): z.infer<typeof reportSummarySchema> {
  return {
    id: row.id,
    receiptCode: row.receipt_code,
    channel: row.channel,
    status: row.status,
    stateCode: row.state_code,
    municipalityCode: row.municipality_code,
    placeType: row.place_type,
    occurredOn: row.occurred_on,
    datePrecision: row.date_precision,
    perpetratorType: row.perpetrator_type,
    mayContact: row.may_contact,
    mayPublish: row.may_publish,
    incidentId: row.incident_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const evidenceSchema = z.object({ text: z.string(), start: z.number().int(), end: z.number().int() });
const suggestionSchema = z.object({ code: z.string(), score: z.number(), evidence: z.array(evidenceSchema) });

/** A report opened for triage: its words, what they suggest, and what it may duplicate. */
export const reportForTriageSchema = reportSummarySchema
  .extend({
    whatHappened: z.string(),
    shelterName: z.string(),
    whoDescription: z.string(),
    contact: z.string().describe('Empty unless the reporter gave one; use it only when mayContact is true'),
    extra: z
      .object({
        actTypes: z.array(z.string()),
        victimCharacteristics: z.array(z.string()),
        peopleAffected: z.number().nullable(),
        agentsCount: z.number().nullable(),
      })
      .nullable(),
    additions: z.array(z.object({ at: z.date(), text: z.string() })),
    resolution: z.string().nullable(),
    suggestions: z.object({
      states: z.array(suggestionSchema),
      municipalities: z.array(suggestionSchema),
      perpetratorTypes: z.array(suggestionSchema),
      actTypes: z.array(suggestionSchema),
      placeTypes: z.array(suggestionSchema),
    }),
    duplicates: z.array(
      z.object({
        kind: z.enum(['report', 'incident']),
        id: z.uuid(),
        label: z.string(),
        date: z.string().nullable(),
        score: z.number(),
        reasons: z.array(z.enum(['same_place', 'close_dates', 'similar_text'])),
      }),
    ),
    attachments: z
      .array(
        z.object({
          id: z.uuid(),
          mimeType: z.string().nullable(),
          kind: z.enum(['image', 'video', 'audio', 'document']).nullable(),
          length: z.number().int(),
          sha256: z.string().nullable(),
          hasRedactedCopy: z.boolean(),
          fileName: z.string().nullable().describe('The name the reporter gave the file, if any'),
        }),
      )
      .describe('Files sent with the report, received in full; an image is seen without metadata at GET /api/v1/evidence/{id}/content'),
  })
  .meta({ id: 'ReportForTriage' });

export function presentReportForTriage(read: ReportForTriage): z.infer<typeof reportForTriageSchema> {
  return {
    ...presentReportSummary(read.row),
    whatHappened: read.content.whatHappened,
    shelterName: read.content.shelterName,
    whoDescription: read.content.whoDescription,
    // A contact the reporter did not allow to be used is not shown at all.
    contact: read.row.may_contact ? read.content.contact : '',
    extra: read.content.extra ?? null,
    additions: read.additions,
    resolution: read.resolution,
    suggestions: read.suggestions,
    duplicates: read.duplicates,
    attachments: read.attachments.map(({ row, fileName }) => ({
      id: row.id,
      mimeType: row.mime_type,
      kind: row.kind,
      length: row.declared_length,
      sha256: row.sha256,
      hasRedactedCopy: row.has_redacted_copy,
      fileName,
    })),
  };
}
