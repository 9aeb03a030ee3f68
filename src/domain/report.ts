import { z } from 'zod';
import { fuzzyDateSchema } from './incident.js';

/**
 * What a reporter sends: deliberately short, so a shelter worker can file it from a phone in minutes.
 * Free text (what happened, the shelter's name, descriptions, contact) is sealed on receipt; only the
 * codes and the date stay in plain columns, to sort the inbox and spot duplicates.
 */

const vocabularyCode = z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'must be a vocabulary code such as "GN"');

export const reportWhereSchema = z
  .object({
    stateCode: z.string().regex(/^\d{2}$/, 'must be a two-digit INEGI state code such as "07"').nullable().default(null),
    municipalityCode: z.string().regex(/^\d{5}$/, 'must be a five-digit INEGI municipality code such as "07089"').nullable().default(null),
    placeType: vocabularyCode.nullable().default(null),
    shelterName: z.string().trim().max(200).default(''),
  })
  .strict()
  .refine((w) => !w.municipalityCode || (w.stateCode !== null && w.municipalityCode.startsWith(w.stateCode)), {
    message: 'must be a municipality of the chosen state',
    path: ['municipalityCode'],
  });

export const reportWhoSchema = z
  .object({
    perpetratorType: vocabularyCode.nullable().default(null),
    /** Uniforms, vehicles, how many: what identifies the force. */
    description: z.string().trim().max(2000).default(''),
  })
  .strict();

export const reportBaseSchema = z.object({
  whatHappened: z.string().trim().min(10, 'must say what happened in at least 10 characters').max(20_000),
  when: fuzzyDateSchema.nullable().default(null),
  where: reportWhereSchema.default({ stateCode: null, municipalityCode: null, placeType: null, shelterName: '' }),
  who: reportWhoSchema.default({ perpetratorType: null, description: '' }),
  contact: z.string().trim().max(300).default(''),
  consent: z
    .object({ mayContact: z.boolean().default(false), mayPublish: z.boolean().default(false) })
    .strict()
    .default({ mayContact: false, mayPublish: false }),
});

/** A member's report adds what a shelter's staff can say with confidence. */
export const memberReportExtraSchema = z.object({
  actTypes: z.array(vocabularyCode).max(20).default([]),
  victimCharacteristics: z.array(vocabularyCode).max(20).default([]),
  peopleAffected: z.number().int().min(1).max(100_000).nullable().default(null),
  agentsCount: z.number().int().min(1).max(10_000).nullable().default(null),
});

export type ReportBase = z.output<typeof reportBaseSchema>;
export type MemberReportExtra = z.output<typeof memberReportExtraSchema>;

/** What is sealed for a report. */
export interface ReportSealed {
  whatHappened: string;
  shelterName: string;
  whoDescription: string;
  contact: string;
  extra?: MemberReportExtra;
}

/** What a reporter later adds with their receipt, sealed likewise. */
export interface ReportAdditionSealed {
  text: string;
}

/** The status a receipt holder sees: enough to know the report is in hand, nothing about anyone else. */
export type PublicReportStatus = 'received' | 'in_review' | 'documented' | 'needs_information' | 'closed';

/** Maps the internal state of a report (and its incident, if any) to what its reporter may see. */
export function publicReportStatus(reportStatus: string, incidentStatus: string | null): PublicReportStatus {
  switch (reportStatus) {
    case 'needs_information':
      return 'needs_information';
    case 'rejected':
      return 'closed';
    case 'incident_created':
    case 'attached':
      return incidentStatus === 'verified' ? 'documented' : 'in_review';
    default:
      return 'received';
  }
}
