import { apiRequest } from './client';

/**
 * The early-warning calls: a network's signals (/api/v1/networks/:id/signals, /api/v1/signals/:id) and
 * the rules (/api/v1/alert-rules); shapes as src/presenters/signal.presenter.ts gives them.
 */
export type SignalStatus = 'open' | 'drafted' | 'dismissed';
export const SIGNAL_STATUSES: readonly SignalStatus[] = ['open', 'drafted', 'dismissed'];

export type RuleKind = 'spread' | 'escalation' | 'repeat_targeting' | 'outside_mandate' | 'severity';
export const RULE_KINDS: readonly RuleKind[] = ['spread', 'escalation', 'repeat_targeting', 'outside_mandate', 'severity'];

/** What caused a signal: counts, codes and dates only (never the incidents' content). */
export interface SignalFigures {
  kind: string;
  incidents: number;
  states: string[];
  from?: string;
  to?: string;
  days?: number;
  current?: number;
  previousAverage?: number;
  shelterOrganizationId?: string;
  legalRuleId?: string;
  actTypes?: string[];
  addressees?: string[];
}

export interface Signal {
  id: string;
  networkId: string;
  rule: { id: string; kind: RuleKind; version: number; description: { es: string; en: string } };
  status: SignalStatus;
  urgent: boolean;
  figures: SignalFigures;
  incidentIds: string[];
  alertId: string | null;
  dismissalReason: string | null;
  firstFiredAt: string;
  lastFiredAt: string;
}

export interface AlertRule {
  id: string;
  kind: RuleKind;
  description: { es: string; en: string };
  parameters: Record<string, unknown>;
  version: number;
  enabled: boolean;
  updatedAt: string;
}

/** What an administrator sends: the whole rule but its id and kind. */
export interface AlertRuleEdit {
  description: { es: string; en: string };
  parameters: Record<string, unknown>;
  enabled: boolean;
}

export interface LegalRuleSummary {
  id: string;
  title: string;
  citation: string;
  status: 'verified' | 'to_confirm';
}

export const signalsApi = {
  list: (networkId: string, status: SignalStatus | undefined, signal?: AbortSignal) =>
    apiRequest<{ data: Signal[] }>(`/networks/${encodeURIComponent(networkId)}/signals${status ? `?status=${status}` : ''}`, { signal }),
  dismiss: (id: string, reason: string) => apiRequest<Signal>(`/signals/${encodeURIComponent(id)}/dismiss`, { method: 'POST', body: { reason } }),
  rules: (signal?: AbortSignal) => apiRequest<{ data: AlertRule[] }>('/alert-rules', { signal }),
  updateRule: (id: string, edit: AlertRuleEdit) => apiRequest<AlertRule>(`/alert-rules/${encodeURIComponent(id)}`, { method: 'PUT', body: edit }),
  legalRules: (lang: string, signal?: AbortSignal) => apiRequest<{ data: LegalRuleSummary[] }>(`/reference/legal-rules?lang=${lang}`, { signal }),
};
