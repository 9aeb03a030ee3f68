import { apiRequest } from './client';

/** The alert workspace's calls (/api/v1/alerts); shapes as the server's presenter gives them. */
export type AlertStatus = 'draft' | 'in_review' | 'approved' | 'published' | 'withdrawn';
export const ALERT_STATUSES: readonly AlertStatus[] = ['draft', 'in_review', 'approved', 'published', 'withdrawn'];
export type AlertStep = 'edit' | 'submit' | 'return' | 'approve' | 'publish' | 'correct' | 'withdraw';
export const ALERT_SECTIONS = ['title', 'summary', 'facts', 'cases', 'legalFramework', 'recommendations'] as const;
export type AlertSection = (typeof ALERT_SECTIONS)[number];
export type AlertText = Record<AlertSection, string>;

export interface AlertAddressee {
  code: string;
  name: { es: string; en: string };
  stateCode: string | null;
}

export interface AlertContent {
  es: AlertText;
  en: AlertText;
  addressees: AlertAddressee[];
  period: { from: string; to: string };
  stateCodes: string[];
  actTypes: string[];
  perpetratorTypes: string[];
  legalRuleIds: string[];
  urgent: boolean;
}

export interface Alert {
  id: string;
  networkId: string;
  reference: string;
  slug: string | null;
  status: AlertStatus;
  version: number;
  content: AlertContent;
  incidentIds: string[];
  publishedAt: string | null;
  withdrawalReason: string | null;
  approvals: Array<{ reviewerId: string; reviewerName: string | null; approvedAt: string }>;
  approvalsRequired: number;
  nextSteps: AlertStep[];
}

export interface AlertListItem {
  id: string;
  reference: string;
  status: AlertStatus;
  version: number;
  title: { es: string; en: string };
  urgent: boolean;
  updatedAt: string;
}

export interface DoNoHarmFinding {
  language: 'es' | 'en';
  section: AlertSection;
  kind: 'name' | 'phone' | 'email' | 'address' | 'small_number';
  excerpt: string;
  start: number;
  end: number;
}

export interface AlertVersion {
  version: number;
  status: AlertStatus;
  changeKind: string;
  note: string | null;
  changedByName: string | null;
  changedAt: string;
  content: AlertContent;
  changes: Array<{ path: string; kind: 'added' | 'removed' | 'changed'; before: unknown; after: unknown }>;
}

const alert = (id: string) => `/alerts/${encodeURIComponent(id)}`;

export const alertsApi = {
  list: (status: AlertStatus | undefined, signal?: AbortSignal) => apiRequest<{ data: AlertListItem[] }>(`/alerts${status ? `?status=${status}` : ''}`, { signal }),
  create: (networkId: string, incidentIds: string[], signalId?: string) =>
    apiRequest<Alert>('/alerts', { method: 'POST', body: { networkId, incidentIds, ...(signalId ? { signalId } : {}) } }),
  get: (id: string, signal?: AbortSignal) => apiRequest<Alert>(alert(id), { signal }),
  update: (id: string, content: AlertContent, expectedVersion: number) => apiRequest<Alert>(alert(id), { method: 'PUT', body: { content, expectedVersion } }),
  step: (id: string, step: Exclude<AlertStep, 'edit' | 'correct'>, body: Record<string, string> = {}) => apiRequest<Alert>(`${alert(id)}/${step}`, { method: 'POST', body }),
  correct: (id: string, content: AlertContent, note: string) => apiRequest<Alert>(`${alert(id)}/correct`, { method: 'POST', body: { content, note } }),
  check: (id: string, content?: AlertContent) => apiRequest<{ findings: DoNoHarmFinding[] }>(`${alert(id)}/check`, { method: 'POST', body: content ? { content } : {} }),
  versions: (id: string, signal?: AbortSignal) => apiRequest<{ data: AlertVersion[] }>(`${alert(id)}/versions`, { signal }),
};
