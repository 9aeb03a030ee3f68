import type { IncidentDocument } from '../../../domain/incident.js';
import { apiRequest } from '../../api/client';

/* The incident calls the editor makes, typed after src/presenters/incident.presenter.ts. */

export interface Bilingual {
  es: string;
  en: string;
}

/** One rule the record appears to break (DOMAIN.md §4), recomputed by the server on every save. */
export interface LegalFinding {
  ruleId: string;
  title: Bilingual;
  citation: Bilingual;
  statement: Bilingual;
  status: 'verified' | 'to_confirm';
  toConfirm: Bilingual | null;
  reasons: Bilingual;
  actIds: string[];
}

export interface Incident {
  id: string;
  reference: string;
  organizationId: string;
  status: 'reported' | 'in_review' | 'verified' | 'rejected' | 'needs_information';
  version: number;
  document: IncidentDocument;
  sensitiveIncluded: boolean;
  legal: LegalFinding[];
  archivedAt: string | null;
  permissions: { edit: boolean; readSensitive: boolean };
}

export const incidentsApi = {
  get: (id: string, options: { sensitive: boolean }, signal?: AbortSignal) =>
    apiRequest<Incident>(`/incidents/${encodeURIComponent(id)}${options.sensitive ? '?include=sensitive' : ''}`, { signal }),
  create: (organizationId: string, document: IncidentDocument) =>
    apiRequest<Incident>(`/organizations/${encodeURIComponent(organizationId)}/incidents`, { method: 'POST', body: { document } }),
  createFromReport: (reportId: string, document: IncidentDocument) =>
    apiRequest<Incident>(`/reports/${encodeURIComponent(reportId)}/incident`, { method: 'POST', body: { document } }),
  update: (id: string, expectedVersion: number, document: IncidentDocument) =>
    apiRequest<Incident>(`/incidents/${encodeURIComponent(id)}`, { method: 'PUT', body: { expectedVersion, document } }),
};
