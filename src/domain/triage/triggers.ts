import type { LexiconTrigger, TriageLexicon, TriggerCategory } from './lexicon.js';
import { TRIGGER_CATEGORIES } from './lexicon.js';
import { spanOf, type Token } from './normalize.js';
import { firstWord, matchAt, parsePattern, type Pattern } from './patterns.js';
import { keepLongest, type Hit } from './hits.js';

/**
 * Finds the lexicon's trigger phrases (perpetrators, acts, types of place) in a tokenised report.
 *
 * Patterns are indexed by the exact words they can start with; only stem-initial patterns ("amenaz*") are
 * tried at every word. A report of 2,000 characters is about 350 words, so this stays far below a
 * millisecond however the lexicon grows.
 */

/** How sure one match of a pattern without its own weight makes a suggestion. */
export const DEFAULT_TRIGGER_WEIGHT = 0.9;

interface CompiledTrigger {
  code: string;
  weight: number;
  pattern: Pattern;
}

/** One category's patterns, indexed for matching. */
export interface TriggerIndex {
  byFirstWord: ReadonlyMap<string, readonly CompiledTrigger[]>;
  byFirstStem: readonly { prefixes: readonly string[]; trigger: CompiledTrigger }[];
}

/** Every category's index, built once per lexicon. */
export type TriggerIndexes = Record<TriggerCategory, TriggerIndex>;

/** Compiles the lexicon's trigger lists once, so matching a report never parses a pattern. */
export function compileTriggers(lexicon: TriageLexicon): TriggerIndexes {
  const entries = TRIGGER_CATEGORIES.map((category) => [category, indexCategory(lexicon.triggers[category])]);
  return Object.fromEntries(entries) as TriggerIndexes;
}

function indexCategory(lists: Record<string, LexiconTrigger[]>): TriggerIndex {
  const byFirstWord = new Map<string, CompiledTrigger[]>();
  const byFirstStem: { prefixes: readonly string[]; trigger: CompiledTrigger }[] = [];
  for (const [code, triggers] of Object.entries(lists)) {
    for (const trigger of triggers) {
      const source = typeof trigger === 'string' ? trigger : trigger.pattern;
      const weight = typeof trigger === 'string' ? DEFAULT_TRIGGER_WEIGHT : trigger.weight;
      const compiled: CompiledTrigger = { code, weight, pattern: parsePattern(source) };
      const first = firstWord(compiled.pattern);
      for (const word of first.exact) byFirstWord.set(word, [...(byFirstWord.get(word) ?? []), compiled]);
      if (first.prefixes.length > 0) byFirstStem.push({ prefixes: first.prefixes, trigger: compiled });
    }
  }
  return { byFirstWord, byFirstStem };
}

/**
 * The hits of one category in a report, after overlapping hits gave way to longer ones (see
 * `keepLongest`). Each hit's evidence is the original text of the words matched.
 */
export function findTriggers(text: string, tokens: readonly Token[], index: TriggerIndex): Hit[] {
  const hits: Hit[] = [];
  tokens.forEach((token, from) => {
    const candidates = new Set(index.byFirstWord.get(token.norm) ?? []);
    for (const { prefixes, trigger } of index.byFirstStem) {
      if (prefixes.some((prefix) => token.norm.startsWith(prefix))) candidates.add(trigger);
    }
    for (const trigger of candidates) {
      const end = matchAt(trigger.pattern, tokens, from);
      if (end > from) {
        const to = end - 1;
        hits.push({ code: trigger.code, weight: trigger.weight, from, to, evidence: spanOf(text, tokens, from, to) });
      }
    }
  });
  return keepLongest(hits);
}
