import type { DatePrecision, ReportContent } from '../../api/public-reports';

/*
 * The report form as the reporter fills it (everything a string or a flag, as inputs hold them, and
 * as it is saved as a draft), its checks, and its translation into the request the server takes.
 */

export const WHAT_HAPPENED_MIN = 10;
export const WHAT_HAPPENED_MAX = 20_000;

export type WhenChoice = DatePrecision | 'unknown';

export interface ReportDraft {
  whatHappened: string;
  whenChoice: WhenChoice;
  /** YYYY-MM-DD, for the day and approximate choices. */
  date: string;
  /** "01".."12" and YYYY, for the month choice. */
  month: string;
  year: string;
  stateCode: string;
  municipalityCode: string;
  placeType: string;
  shelterName: string;
  perpetratorType: string;
  perpetratorDescription: string;
  organizationId: string;
  contact: string;
  mayContact: boolean;
  mayPublish: boolean;
}

export const EMPTY_DRAFT: ReportDraft = {
  whatHappened: '',
  whenChoice: 'day',
  date: '',
  month: '',
  year: '',
  stateCode: '',
  municipalityCode: '',
  placeType: '',
  shelterName: '',
  perpetratorType: '',
  perpetratorDescription: '',
  organizationId: '',
  contact: '',
  mayContact: false,
  mayPublish: false,
};

/** A draft read back from storage, with anything missing or of the wrong type set to the empty value. */
export function restoreDraft(stored: unknown): ReportDraft {
  const draft: ReportDraft = { ...EMPTY_DRAFT };
  if (typeof stored !== 'object' || stored === null) return draft;
  const record = draft as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(stored)) {
    if (key in draft && typeof value === typeof record[key]) record[key] = value;
  }
  if (!['day', 'month', 'approximate', 'unknown'].includes(draft.whenChoice)) draft.whenChoice = 'day';
  return draft;
}

/** Whether anything has been written or chosen: an untouched form is not worth keeping. */
export function isDraftEmpty(draft: ReportDraft): boolean {
  return JSON.stringify({ ...draft, whenChoice: 'day' }) === JSON.stringify(EMPTY_DRAFT);
}

export type DraftProblem =
  | { field: 'whatHappened'; problem: 'required' | 'tooShort' | 'tooLong' }
  | { field: 'date' | 'month'; problem: 'required' | 'future' }
  | { field: 'organizationId'; problem: 'required' }
  | { field: 'contact'; problem: 'mayContactNeedsContact' };

/** The day the report is about, as YYYY-MM-DD, or undefined when unknown or incomplete. */
export function reportDate(draft: ReportDraft): string | undefined {
  if (draft.whenChoice === 'unknown') return undefined;
  if (draft.whenChoice === 'month') {
    return /^\d{4}$/.test(draft.year) && /^(0[1-9]|1[0-2])$/.test(draft.month) ? `${draft.year}-${draft.month}-01` : undefined;
  }
  return isCalendarDate(draft.date) ? draft.date : undefined;
}

function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

/**
 * The form's problems, in the order of the form. `today` is the reporter's local date (YYYY-MM-DD);
 * `organizationRequired` when the server named several networks and none is chosen yet.
 */
export function checkDraft(draft: ReportDraft, options: { today: string; organizationRequired: boolean }): DraftProblem[] {
  const problems: DraftProblem[] = [];
  const text = draft.whatHappened.trim();
  if (text === '') problems.push({ field: 'whatHappened', problem: 'required' });
  else if ([...text].length < WHAT_HAPPENED_MIN) problems.push({ field: 'whatHappened', problem: 'tooShort' });
  else if ([...text].length > WHAT_HAPPENED_MAX) problems.push({ field: 'whatHappened', problem: 'tooLong' });

  if (draft.whenChoice !== 'unknown') {
    const field = draft.whenChoice === 'month' ? 'month' : 'date';
    const date = reportDate(draft);
    if (date === undefined) problems.push({ field, problem: 'required' });
    else if (date > options.today) problems.push({ field, problem: 'future' });
  }
  if (options.organizationRequired && draft.organizationId === '') {
    problems.push({ field: 'organizationId', problem: 'required' });
  }
  if (draft.mayContact && draft.contact.trim() === '') problems.push({ field: 'contact', problem: 'mayContactNeedsContact' });
  return problems;
}

/** The report as the server takes it; `organizationId` is the only network when the server named one. */
export function toReportContent(draft: ReportDraft, organizationId: string | undefined): ReportContent {
  const date = reportDate(draft);
  const orNull = (value: string) => (value === '' ? null : value);
  const contact = draft.contact.trim();
  return {
    ...(organizationId ? { organizationId } : {}),
    whatHappened: draft.whatHappened.trim(),
    when: draft.whenChoice === 'unknown' || date === undefined ? null : { date, precision: draft.whenChoice },
    where: {
      stateCode: orNull(draft.stateCode),
      // A municipality only makes sense inside the state chosen.
      municipalityCode: draft.stateCode && draft.municipalityCode.startsWith(draft.stateCode) ? draft.municipalityCode : null,
      placeType: orNull(draft.placeType),
      shelterName: draft.shelterName.trim(),
    },
    who: { perpetratorType: orNull(draft.perpetratorType), description: draft.perpetratorDescription.trim() },
    contact,
    // Consent to be contacted means nothing without a way to do it.
    consent: { mayContact: draft.mayContact && contact !== '', mayPublish: draft.mayPublish },
  };
}

/** The reporter's local date as YYYY-MM-DD (not UTC: late at night in Mexico it is already tomorrow in UTC). */
export function localToday(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** A draft made from a report the server refused, so the reporter can correct and resend it. */
export function draftFromContent(content: ReportContent): ReportDraft {
  const when = content.when;
  return {
    ...EMPTY_DRAFT,
    whatHappened: content.whatHappened,
    whenChoice: when ? when.precision : 'unknown',
    date: when && when.precision !== 'month' ? when.date : '',
    month: when?.precision === 'month' ? when.date.slice(5, 7) : '',
    year: when?.precision === 'month' ? when.date.slice(0, 4) : '',
    stateCode: content.where.stateCode ?? '',
    municipalityCode: content.where.municipalityCode ?? '',
    placeType: content.where.placeType ?? '',
    shelterName: content.where.shelterName,
    perpetratorType: content.who.perpetratorType ?? '',
    perpetratorDescription: content.who.description,
    organizationId: content.organizationId ?? '',
    contact: content.contact,
    mayContact: content.consent.mayContact,
    mayPublish: content.consent.mayPublish,
  };
}
