import { apiRequest } from './client';

/*
 * The public statistics endpoints (anyone, no account), as src/presenters/statistics.presenter.ts
 * shapes them: every figure carries what to print ("<3", "—" when hidden). Calls send no cookies.
 */

export interface Figure {
  count: number | null;
  suppressed: 'small' | 'complementary' | null;
  display: string;
}

export interface Cell extends Figure {
  key: string;
  label: string;
}

export interface Dashboard {
  threshold: number;
  period: { from: string; to: string } | null;
  total: Figure;
  byState: Cell[];
  byMonth: Cell[];
  byActType: Cell[];
  byPerpetratorType: Cell[];
  byPlaceType: Cell[];
}

export interface StatisticsFilter {
  from?: string;
  to?: string;
  state?: string;
  act?: string;
  perpetrator?: string;
}

export const FILTER_KEYS = ['from', 'to', 'state', 'act', 'perpetrator'] as const;

function query(values: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value) params.set(key, value);
  return params.toString();
}

export function getDashboard(filter: StatisticsFilter, lang: string): Promise<Dashboard> {
  return apiRequest(`/statistics/summary?${query({ ...filter, lang })}`, { credentials: 'omit' });
}

export function getStateMunicipalities(code: string, filter: Pick<StatisticsFilter, 'from' | 'to'>, lang: string): Promise<{ threshold: number; state: Cell; data: Cell[] }> {
  return apiRequest(`/statistics/states/${encodeURIComponent(code)}/municipalities?${query({ from: filter.from, to: filter.to, lang })}`, { credentials: 'omit' });
}

export interface StateMap {
  viewBox: string;
  states: { code: string; name: string; path: string }[];
}

export function getStateMap(): Promise<StateMap> {
  return apiRequest('/statistics/map', { credentials: 'omit' });
}

/** Act and perpetrator types for the filters, labelled in the reader's language. */
export async function vocabularyTerms(vocabulary: 'act_types' | 'perpetrator_types', lang: string): Promise<{ code: string; label: string }[]> {
  const { data } = await apiRequest<{ data: { terms: { code: string; label: string }[] } }>(`/reference/vocabularies/${vocabulary}?lang=${lang}`, { credentials: 'omit' });
  return data.terms.map((term) => ({ code: term.code, label: term.label }));
}
