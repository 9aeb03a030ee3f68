import { apiRequest } from './client';

/*
 * The public alerts endpoints (anyone, no account), as src/presenters/public-alert.presenter.ts shapes
 * them. Calls send no cookies: reading an alert says nothing about who reads it.
 */

export interface LocalizedPair {
  es: string;
  en: string;
}

export interface AlertText {
  title: string;
  summary: string;
  facts: string;
  cases: string;
  legalFramework: string;
  recommendations: string;
}

interface AlertCommon {
  slug: string;
  status: 'published' | 'withdrawn';
  urgent: boolean;
  publishedAt: string;
  updatedAt: string;
  period: { from: string; to: string };
  stateCodes: string[];
  actTypes: string[];
  title: LocalizedPair;
  withdrawal: { at: string; reason: string | null } | null;
}

export interface PublicAlertSummary extends AlertCommon {
  summary: LocalizedPair | null;
}

export interface PublicAlert extends AlertCommon {
  addressees: { code: string; name: LocalizedPair; stateCode: string | null }[];
  text: { es: AlertText; en: AlertText } | null;
  corrections: { version: number; at: string; note: string }[];
}

export interface AlertFilter {
  state?: string;
  actType?: string;
  cursor?: string;
}

export function listPublicAlerts(filter: AlertFilter): Promise<{ data: PublicAlertSummary[]; nextCursor: string | null }> {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value) query.set(key, value);
  const suffix = query.size > 0 ? `?${query.toString()}` : '';
  return apiRequest(`/public/alerts${suffix}`, { credentials: 'omit' });
}

export function getPublicAlert(slug: string): Promise<PublicAlert> {
  return apiRequest(`/public/alerts/${encodeURIComponent(slug)}`, { credentials: 'omit' });
}

export interface ReferenceItem {
  code: string;
  label: string;
}

/** States and act types for the list's filters, labelled in the reader's language. */
export async function alertFilterOptions(language: string): Promise<{ states: ReferenceItem[]; actTypes: ReferenceItem[] }> {
  const [states, actTypes] = await Promise.all([
    apiRequest<{ data: { code: string; name: string }[] }>(`/reference/states?lang=${language}`, { credentials: 'omit' }),
    apiRequest<{ data: { terms: ReferenceItem[] } }>(`/reference/vocabularies/act_types?lang=${language}`, { credentials: 'omit' }),
  ]);
  return { states: states.data.map((s) => ({ code: s.code, label: s.name })), actTypes: actTypes.data.terms.map((t) => ({ code: t.code, label: t.label })) };
}

/*
 * E-mail subscriptions (double opt-in) and the public accountability of an alert
 * (src/server/routes/alert-reach/public.ts). No cookies either: the links work for anyone who holds them.
 */

export interface SubscriptionRequest {
  email: string;
  language: 'es' | 'en';
  stateCodes: string[];
  actTypes: string[];
}

export function requestSubscription(body: SubscriptionRequest): Promise<{ message: string }> {
  return apiRequest('/public/subscriptions', { method: 'POST', body, credentials: 'omit' });
}

export function confirmSubscription(token: string): Promise<{ status: 'confirmed'; language: 'es' | 'en' }> {
  return apiRequest('/public/subscriptions/confirm', { method: 'POST', body: { token }, credentials: 'omit' });
}

export function unsubscribe(token: string): Promise<{ status: 'unsubscribed'; language: 'es' | 'en' }> {
  return apiRequest(`/public/subscriptions/unsubscribe?token=${encodeURIComponent(token)}`, { method: 'POST', credentials: 'omit' });
}

export interface AddresseeAccountability {
  addresseeCode: string;
  addresseeName: LocalizedPair;
  stateCode: string | null;
  sentOn: string;
  dueOn: string;
  status: 'answered' | 'overdue' | 'awaiting';
  /** `document`: the authority's own answer, when the network attached it and marked it public. */
  responses: { receivedOn: string; summary: string; document: { url: string; mimeType: string } | null }[];
}

export function getPublicAccountability(slug: string): Promise<{ addressees: AddresseeAccountability[] }> {
  return apiRequest(`/public/alerts/${encodeURIComponent(slug)}/accountability`, { credentials: 'omit' });
}
