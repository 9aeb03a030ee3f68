import type { AcceptedSuggestions, SuggestionCategory } from './types';

/*
 * The suggestions a documenter accepted on a report, kept for this tab until the editor opens the
 * incident from it (reloading either page keeps them). Only codes are stored, never the testimony.
 */

const key = (reportId: string) => `vigia.triage.accepted.${reportId}`;
const memory = new Map<string, AcceptedSuggestions>();

export type Verdict = 'accepted' | 'dismissed';
export type Verdicts = Record<string, Verdict>;

export const verdictKey = (category: SuggestionCategory, code: string) => `${category}:${code}`;

export function readVerdicts(reportId: string): Verdicts {
  try {
    const stored = window.sessionStorage.getItem(key(reportId));
    if (stored) return JSON.parse(stored) as Verdicts;
  } catch {
    // Without storage the choices last as long as the page (see `memory`).
  }
  return Object.fromEntries(
    Object.entries(memory.get(reportId) ?? {}).flatMap(([category, codes]) => codes.map((code) => [`${category}:${code}`, 'accepted'])),
  );
}

export function saveVerdicts(reportId: string, verdicts: Verdicts): void {
  memory.set(reportId, acceptedFrom(verdicts));
  try {
    window.sessionStorage.setItem(key(reportId), JSON.stringify(verdicts));
  } catch {
    // Kept in memory only.
  }
}

export function acceptedFrom(verdicts: Verdicts): AcceptedSuggestions {
  const accepted: AcceptedSuggestions = { states: [], municipalities: [], perpetratorTypes: [], actTypes: [], placeTypes: [] };
  for (const [entry, verdict] of Object.entries(verdicts)) {
    const [category, code] = entry.split(':') as [SuggestionCategory, string];
    if (verdict === 'accepted' && category in accepted && code) accepted[category].push(code);
  }
  return accepted;
}

export function forgetVerdicts(reportId: string): void {
  memory.delete(reportId);
  try {
    window.sessionStorage.removeItem(key(reportId));
  } catch {
    // Nothing stored.
  }
}
