import { apiRequest } from '../../api/client';
import type { ReportForTriage, ReportStatus, ReportSummary } from './types';

/* The triage calls (src/server/routes/reports/triage.ts). */

export const triageApi = {
  inbox: (organizationId: string, status: ReportStatus | undefined, signal?: AbortSignal) =>
    apiRequest<{ data: ReportSummary[] }>(
      `/organizations/${encodeURIComponent(organizationId)}/reports${status ? `?status=${status}` : ''}`,
      { signal },
    ),
  /** Opening a report is audited: call it when the documenter opens it, not to prefetch. */
  open: (id: string, signal?: AbortSignal) => apiRequest<ReportForTriage>(`/reports/${encodeURIComponent(id)}`, { signal }),
  attach: (id: string, incidentId: string) =>
    apiRequest<void>(`/reports/${encodeURIComponent(id)}/attach`, { method: 'POST', body: { incidentId } }),
  resolve: (id: string, outcome: 'rejected' | 'needs_information', message: string) =>
    apiRequest<void>(`/reports/${encodeURIComponent(id)}/resolution`, { method: 'POST', body: { outcome, message } }),
};
