import type { MemberReportBody } from '../../api/member-reports';
import { checkDraft, EMPTY_DRAFT, isDraftEmpty, restoreDraft, toReportContent, type DraftProblem, type ReportDraft } from './report-form';

/*
 * A member's report as the form holds it: the public report's draft (with the organization it is filed
 * to) plus what a shelter's staff can say with confidence, as the member report API takes it: which acts,
 * who was targeted, how many people were affected and how many agents came. Numbers stay strings while
 * typed, as inputs hold them.
 */

export interface MemberReportDraft extends ReportDraft {
  actTypes: string[];
  victimCharacteristics: string[];
  peopleAffected: string;
  agentsCount: string;
}

export const EMPTY_MEMBER_DRAFT: MemberReportDraft = {
  ...EMPTY_DRAFT,
  actTypes: [],
  victimCharacteristics: [],
  peopleAffected: '',
  agentsCount: '',
};

/** The server's bounds (src/domain/report.ts). */
export const COUNT_LIMITS = { peopleAffected: 100_000, agentsCount: 10_000 } as const;
type CountField = keyof typeof COUNT_LIMITS;

export type MemberDraftProblem = DraftProblem | { field: CountField; problem: 'notACount' };

function codes(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((code): code is string => typeof code === 'string') : [];
}

/** A draft read back from storage; anything missing or of the wrong type is the empty value. */
export function restoreMemberDraft(stored: unknown): MemberReportDraft {
  const record = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {};
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  return {
    ...restoreDraft(stored),
    actTypes: codes(record.actTypes),
    victimCharacteristics: codes(record.victimCharacteristics),
    peopleAffected: text(record.peopleAffected),
    agentsCount: text(record.agentsCount),
  };
}

/** Whether anything has been written or chosen; the organization alone is preselected, not written. */
export function isMemberDraftEmpty(draft: MemberReportDraft): boolean {
  const { actTypes, victimCharacteristics, peopleAffected, agentsCount, organizationId: _chosen, ...base } = draft;
  return isDraftEmpty({ ...EMPTY_DRAFT, ...base, organizationId: '' }) && actTypes.length === 0 && victimCharacteristics.length === 0 && peopleAffected === '' && agentsCount === '';
}

/** A whole number from 1 to `max`, or null for an empty field, or undefined when it is neither. */
function parseCount(value: string, max: number): number | null | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return null;
  if (!/^\d+$/.test(trimmed)) return undefined;
  const n = Number(trimmed);
  return n >= 1 && n <= max ? n : undefined;
}

/** The form's problems, in the order of the form: the public report's, then the counts. */
export function checkMemberDraft(draft: MemberReportDraft, options: { today: string }): MemberDraftProblem[] {
  const problems: MemberDraftProblem[] = checkDraft(draft, { today: options.today, organizationRequired: true });
  for (const field of ['agentsCount', 'peopleAffected'] as const) {
    if (parseCount(draft[field], COUNT_LIMITS[field]) === undefined) problems.push({ field, problem: 'notACount' });
  }
  return problems;
}

/** The request body of POST /organizations/{id}/reports (the organization goes in the address). */
export function toMemberReportBody(draft: MemberReportDraft, receiptSecret: string): MemberReportBody {
  const { organizationId: _inAddress, ...content } = toReportContent(draft, undefined);
  return {
    ...content,
    actTypes: draft.actTypes,
    victimCharacteristics: draft.victimCharacteristics,
    peopleAffected: parseCount(draft.peopleAffected, COUNT_LIMITS.peopleAffected) ?? null,
    agentsCount: parseCount(draft.agentsCount, COUNT_LIMITS.agentsCount) ?? null,
    receiptSecret,
  };
}
