/*
 * The signals inbox's status filter lives in the address (`/senales?estado=descartadas`), so a filtered
 * inbox can be reloaded and sent to a colleague. The address uses Spanish words, the API its own codes.
 * Without the parameter the inbox shows what still waits for a decision: the open signals. Pure, without
 * imports, so its test runs under Node (test/web/).
 */

export type SignalStatusFilter = 'open' | 'drafted' | 'dismissed' | 'all';
export const SIGNAL_STATUS_FILTERS: readonly SignalStatusFilter[] = ['open', 'drafted', 'dismissed', 'all'];

const WORDS: Record<SignalStatusFilter, string> = { open: 'abiertas', drafted: 'redactadas', dismissed: 'descartadas', all: 'todas' };
const DEFAULT: SignalStatusFilter = 'open';

/** The filter an address asks for; an unknown word is read as the default rather than as an error page. */
export function statusFilterFromSearch(search: string): SignalStatusFilter {
  const word = new URLSearchParams(search).get('estado');
  return SIGNAL_STATUS_FILTERS.find((filter) => WORDS[filter] === word) ?? DEFAULT;
}

/** The query string (without "?") for a filter; empty for the default, so the plain address stays plain. */
export function searchFromStatusFilter(filter: SignalStatusFilter): string {
  return filter === DEFAULT ? '' : new URLSearchParams({ estado: WORDS[filter] }).toString();
}
