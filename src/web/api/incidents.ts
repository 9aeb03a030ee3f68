import { apiRequest } from './client';

/*
 * The incident record, its review workflow, history and search, typed after the server's schemas
 * (src/domain/incident.ts, src/presenters/incident.presenter.ts, the search route's contract) and the
 * reference lists that turn codes into words (src/presenters/reference.presenter.ts).
 */

export type IncidentStatus = 'reported' | 'in_review' | 'verified' | 'rejected' | 'needs_information';
export const INCIDENT_STATUSES: readonly IncidentStatus[] = ['reported', 'in_review', 'needs_information', 'verified', 'rejected'];
export type WorkflowStep = 'submit' | 'request_information' | 'verify' | 'reject' | 'reopen';
/** Steps the server refuses without a note saying why (src/domain/incident-workflow.ts). */
export const STEPS_NEEDING_NOTE: readonly WorkflowStep[] = ['request_information', 'reject', 'reopen'];

export type DatePrecision = 'day' | 'month' | 'approximate';
export interface FuzzyDate {
  date: string;
  precision: DatePrecision;
}
export type Knowable = 'yes' | 'no' | 'unknown';

export interface IncidentDocument {
  title: string;
  narrative: string;
  narrativeLanguage: 'es' | 'en';
  startDate: FuzzyDate;
  endDate: FuzzyDate | null;
  place: {
    stateCode: string;
    municipalityCode: string | null;
    placeType: string | null;
    shelterOrganizationId: string | null;
    coordinates: { lat: number; lon: number } | null;
  };
  circumstances: Record<'writtenOrderShown' | 'agentsIdentified' | 'inmRequested' | 'judicialOrderShown', Knowable>;
  victims: Array<{
    id: string;
    kind: 'organization' | 'person' | 'group';
    name: string | null;
    organizationId: string | null;
    characteristics: string[];
    count: number | null;
    description: string;
  }>;
  acts: Array<{ id: string; actType: string; victimId: string; date: FuzzyDate | null; method: string; consequences: string }>;
  involvements: Array<{ id: string; actId: string; perpetratorType: string; degree: string; unit: string }>;
  sources: Array<{
    id: string;
    sourceType: string;
    connection: string;
    reliability: string;
    name: string | null;
    contact: string | null;
    date: FuzzyDate | null;
    description: string;
  }>;
  interventions: Array<{
    id: string;
    interventionType: string;
    status: string;
    date: FuzzyDate | null;
    addressedTo: string;
    reference: string;
    description: string;
  }>;
  links: Array<{ incidentId: string; relation: 'same_campaign' | 'related' | 'follow_up' | 'duplicate' }>;
}

export interface Bilingual {
  es: string;
  en: string;
}

/** A rule of the law the record appears to break, with its citation (DOMAIN.md §4). */
export interface LegalFinding {
  ruleId: string;
  ruleVersion: number;
  title: Bilingual;
  citation: Bilingual;
  statement: Bilingual;
  status: 'verified' | 'to_confirm';
  toConfirm: Bilingual | null;
  severity: string;
  addressees: string[];
  recommendation: Bilingual;
  actIds: string[];
  reasons: Bilingual;
}

export interface IncidentPermissions {
  edit: boolean;
  readSensitive: boolean;
  submit: boolean;
  review: boolean;
  archive: boolean;
  share: boolean;
  addEvidence: boolean;
}

export interface Incident {
  id: string;
  reference: string;
  organizationId: string;
  status: IncidentStatus;
  version: number;
  document: IncidentDocument;
  sensitiveIncluded: boolean;
  legal: LegalFinding[];
  hasEvidence: boolean;
  sharedWithNetworks: boolean;
  mayPublish: boolean;
  createdAt: string;
  updatedAt: string;
  createdBy: string | null;
  lastChangedBy: string | null;
  verifiedBy: string | null;
  verifiedAt: string | null;
  archivedAt: string | null;
  archiveReason: string | null;
  nextSteps: WorkflowStep[];
  permissions: IncidentPermissions;
}

export interface IncidentVersion {
  version: number;
  status: IncidentStatus;
  changeKind: string;
  note: string | null;
  changedBy: string | null;
  changedByName: string | null;
  changedAt: string;
}

export interface IncidentChange {
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before: unknown;
  after: unknown;
}

export interface IncidentDiff {
  from: number;
  to: number;
  sensitiveIncluded: boolean;
  changes: IncidentChange[];
}

/** One incident in a search's results. */
export interface IncidentSummary {
  id: string;
  reference: string;
  title: string;
  status: IncidentStatus;
  organizationId: string;
  stateCode: string;
  municipalityCode: string | null;
  startDate: string;
  datePrecision: DatePrecision;
  actTypes: string[];
  perpetratorTypes: string[];
  hasEvidence: boolean;
  sharedWithNetworks: boolean;
  updatedAt: string;
}

export type IncidentSort = 'relevance' | 'date_desc' | 'date_asc' | 'updated_desc';

/** The search's filters as the API takes them (repeated keys for the lists). */
export interface IncidentQuery {
  text?: string;
  state?: string;
  municipality?: string;
  from?: string;
  to?: string;
  actType?: readonly string[];
  perpetratorType?: readonly string[];
  victimType?: string;
  status?: string;
  organization?: string;
  hasEvidence?: boolean;
  sort?: IncidentSort;
  limit?: number;
}

export interface IncidentPage {
  data: IncidentSummary[];
  nextCursor: string | null;
}

const incident = (id: string) => `/incidents/${encodeURIComponent(id)}`;

/** A reviewer's or documenter's note on an incident. */
export interface IncidentNote {
  id: string;
  body: string;
  authorId: string;
  authorName: string | null;
  createdAt: string;
}

export const incidentsApi = {
  get: (id: string, includeSensitive: boolean, signal?: AbortSignal) =>
    apiRequest<Incident>(`${incident(id)}${includeSensitive ? '?include=sensitive' : ''}`, { signal }),
  workflow: (id: string, step: WorkflowStep, note: string | undefined) =>
    apiRequest<Incident>(`${incident(id)}/workflow`, { method: 'POST', body: note ? { step, note } : { step } }),
  archive: (id: string, reason: string) => apiRequest<Incident>(`${incident(id)}/archive`, { method: 'POST', body: { reason } }),
  share: (id: string, shared: boolean) => apiRequest<Incident>(`${incident(id)}/sharing`, { method: 'PUT', body: { shared } }),
  notes: (id: string, signal?: AbortSignal) => apiRequest<{ data: IncidentNote[] }>(`${incident(id)}/notes`, { signal }),
  addNote: (id: string, body: string) => apiRequest<IncidentNote>(`${incident(id)}/notes`, { method: 'POST', body: { body } }),
  versions: (id: string, signal?: AbortSignal) => apiRequest<{ data: IncidentVersion[] }>(`${incident(id)}/versions`, { signal }),
  diff: (id: string, version: number, signal?: AbortSignal) =>
    apiRequest<IncidentDiff>(`${incident(id)}/versions/${version}/diff`, { signal }),
  search: (query: IncidentQuery, cursor: string | undefined, signal?: AbortSignal) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query) as Array<[string, unknown]>) {
      if (Array.isArray(value)) for (const item of value) params.append(key, String(item));
      else if (value !== undefined && value !== '' && value !== false) params.set(key, String(value));
    }
    if (cursor) params.set('cursor', cursor);
    const search = params.toString();
    return apiRequest<IncidentPage>(`/incidents${search ? `?${search}` : ''}`, { signal });
  },
};

export interface State {
  code: string;
  name: string;
}
export interface Municipality {
  cvegeo: string;
  stateCode: string;
  name: string;
}
export interface VocabularyTerm {
  code: string;
  label: string;
  description: string | null;
}

export const referenceApi = {
  states: (lang: string, signal?: AbortSignal) => apiRequest<{ data: State[] }>(`/reference/states?lang=${lang}`, { signal }),
  municipalities: (state: string, lang: string, signal?: AbortSignal) =>
    apiRequest<{ data: Municipality[] }>(`/reference/municipalities?state=${encodeURIComponent(state)}&lang=${lang}`, { signal }),
  vocabulary: (name: string, lang: string, signal?: AbortSignal) =>
    apiRequest<{ data: { name: string; label: string; terms: VocabularyTerm[] } }>(
      `/reference/vocabularies/${encodeURIComponent(name)}?lang=${lang}`,
      { signal },
    ),
};
