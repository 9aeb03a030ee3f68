/*
 * The triage API's shapes, as its response schemas give them (src/presenters/report.presenter.ts). Kept
 * apart from the calls so that the pure modules (and their tests, which run under Node) can use them.
 */

export type ReportStatus = 'new' | 'needs_information' | 'incident_created' | 'attached' | 'rejected';
export const REPORT_STATUSES: readonly ReportStatus[] = ['new', 'needs_information', 'incident_created', 'attached', 'rejected'];
export type DatePrecision = 'day' | 'month' | 'approximate';

export interface ReportSummary {
  id: string;
  receiptCode: string;
  channel: 'public' | 'member';
  status: ReportStatus;
  stateCode: string | null;
  municipalityCode: string | null;
  placeType: string | null;
  occurredOn: string | null;
  datePrecision: DatePrecision | null;
  perpetratorType: string | null;
  mayContact: boolean;
  mayPublish: boolean;
  incidentId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Evidence {
  text: string;
  start: number;
  end: number;
}

export interface Suggestion {
  code: string;
  score: number;
  evidence: Evidence[];
}

export type SuggestionCategory = 'states' | 'municipalities' | 'perpetratorTypes' | 'actTypes' | 'placeTypes';
export type Suggestions = Record<SuggestionCategory, Suggestion[]>;

export type DuplicateReason = 'same_place' | 'close_dates' | 'similar_text';

export interface Duplicate {
  kind: 'report' | 'incident';
  id: string;
  label: string;
  date: string | null;
  score: number;
  reasons: DuplicateReason[];
}

export interface ReportForTriage extends ReportSummary {
  whatHappened: string;
  shelterName: string;
  whoDescription: string;
  contact: string;
  extra: { actTypes: string[]; victimCharacteristics: string[]; peopleAffected: number | null; agentsCount: number | null } | null;
  additions: Array<{ at: string; text: string }>;
  resolution: string | null;
  suggestions: Suggestions;
  duplicates: Duplicate[];
  /** Files sent with the report, received in full; images are seen through their metadata-free copy. */
  attachments: ReportAttachment[];
}

export interface ReportAttachment {
  id: string;
  mimeType: string | null;
  kind: 'image' | 'video' | 'audio' | 'document' | null;
  length: number;
  sha256: string | null;
  hasRedactedCopy: boolean;
  fileName: string | null;
}

/** The suggestions a documenter accepted, by category: what the incident editor starts from. */
export type AcceptedSuggestions = Record<SuggestionCategory, string[]>;
