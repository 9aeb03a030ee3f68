import type { Suggestions, SuggestionCategory } from './types.js';

/** One suggestion a stretch of the testimony supports. */
export interface SuggestedBy {
  category: SuggestionCategory;
  code: string;
}

/** A stretch of the testimony: plain, or marked with the suggestions whose evidence covers it. */
export interface Segment {
  start: number;
  text: string;
  suggestedBy: SuggestedBy[];
}

export const SUGGESTION_CATEGORIES: readonly SuggestionCategory[] = ['perpetratorTypes', 'actTypes', 'placeTypes', 'states', 'municipalities'];

/**
 * Cuts the testimony into stretches so each piece of evidence can be shown as a mark. The suggestions are
 * read from the testimony joined with the other free-text fields, so evidence past the testimony's end
 * (in the shelter's name, the description, the additions) is left out: it would point into other text.
 * Overlapping evidence splits into pieces that each name every suggestion covering them.
 */
export function highlightSegments(text: string, suggestions: Suggestions): Segment[] {
  const spans: Array<SuggestedBy & { start: number; end: number }> = [];
  for (const category of SUGGESTION_CATEGORIES) {
    for (const suggestion of suggestions[category]) {
      for (const evidence of suggestion.evidence) {
        if (evidence.start >= 0 && evidence.end <= text.length && evidence.start < evidence.end) {
          spans.push({ category, code: suggestion.code, start: evidence.start, end: evidence.end });
        }
      }
    }
  }
  const cuts = [...new Set([0, text.length, ...spans.flatMap((s) => [s.start, s.end])])].sort((a, b) => a - b);
  const segments: Segment[] = [];
  for (let i = 0; i < cuts.length - 1; i += 1) {
    const start = cuts[i]!;
    const end = cuts[i + 1]!;
    const covering: SuggestedBy[] = [];
    for (const span of spans) {
      if (span.start <= start && span.end >= end && !covering.some((c) => c.category === span.category && c.code === span.code)) {
        covering.push({ category: span.category, code: span.code });
      }
    }
    const previous = segments[segments.length - 1];
    if (previous && sameSuggestions(previous.suggestedBy, covering)) previous.text += text.slice(start, end);
    else segments.push({ start, text: text.slice(start, end), suggestedBy: covering });
  }
  return segments;
}

function sameSuggestions(a: readonly SuggestedBy[], b: readonly SuggestedBy[]): boolean {
  const key = (list: readonly SuggestedBy[]) => list.map((s) => `${s.category}:${s.code}`).sort().join('|');
  return key(a) === key(b);
}
