import { fold, type Token } from './normalize.js';

/**
 * The small pattern language of the triage lexicon, compiled to word-by-word matchers.
 *
 * Maintainers write "intent* entrar|ingresar" rather than regular expressions: Spanish verbs inflect at the
 * end ("intentaron", "intentó", "intentaban"), so a stem with `*` covers them, and words are compared folded,
 * so accents and case never need spelling out. Matching word by word, not character by character, is what
 * lets every match point back at whole words of the original text.
 */

/** How many words `...` may skip: enough for "amenazaron a todos de muerte", not a whole sentence. */
export const MAX_GAP = 3;

interface WordStep {
  kind: 'word';
  exact: ReadonlySet<string>;
  prefixes: readonly string[];
  optional: boolean;
}
interface GapStep {
  kind: 'gap';
}
type Step = WordStep | GapStep;

/** A compiled pattern: the steps to walk over a report's words. */
export interface Pattern {
  source: string;
  steps: readonly Step[];
}

/**
 * Compiles one lexicon pattern. Throws with the pattern's text when it cannot work: an empty alternative,
 * a bare `*`, or a pattern that starts or ends with something optional (such a pattern would match a
 * different stretch of words each time and its evidence would be arbitrary).
 */
export function parsePattern(source: string): Pattern {
  const parts = source.trim().split(/\s+/u);
  const steps: Step[] = parts.map((part) => parseStep(part, source));
  const first = steps[0];
  const last = steps[steps.length - 1];
  if (!first || first.kind !== 'word' || first.optional || !last || last.kind !== 'word' || last.optional) {
    throw new Error(`pattern "${source}" must start and end with a required word`);
  }
  return { source, steps };
}

function parseStep(part: string, source: string): Step {
  if (part === '...' || part === '…') return { kind: 'gap' };
  const optional = part.endsWith('?');
  const body = (optional ? part.slice(0, -1) : part).replace(/^\(|\)$/gu, '');
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const alternative of body.split('|')) {
    const isPrefix = alternative.endsWith('*');
    const word = fold(isPrefix ? alternative.slice(0, -1) : alternative).replace(/\./gu, '');
    if (!/^[\p{L}\p{N}]+$/u.test(word)) {
      throw new Error(`pattern "${source}": "${alternative}" is not a word, a stem* or a|b`);
    }
    if (isPrefix) prefixes.push(word);
    else exact.add(word);
  }
  return { kind: 'word', exact, prefixes, optional };
}

function stepAccepts(step: WordStep, word: string): boolean {
  return step.exact.has(word) || step.prefixes.some((prefix) => word.startsWith(prefix));
}

/**
 * Whether `pattern` matches the words starting at `from`, and if so the index just after the longest match
 * (so "amenazaron de muerte" is preferred to "amenazaron" by a pattern that allows both), else -1.
 */
export function matchAt(pattern: Pattern, tokens: readonly Token[], from: number): number {
  return walk(pattern.steps, 0, tokens, from);
}

function walk(steps: readonly Step[], stepIndex: number, tokens: readonly Token[], at: number): number {
  const step = steps[stepIndex];
  if (!step) return at;
  if (step.kind === 'gap') {
    let best = -1;
    for (let skip = 0; skip <= MAX_GAP && at + skip <= tokens.length; skip += 1) {
      best = Math.max(best, walk(steps, stepIndex + 1, tokens, at + skip));
    }
    return best;
  }
  const token = tokens[at];
  let best = -1;
  if (token && stepAccepts(step, token.norm)) best = walk(steps, stepIndex + 1, tokens, at + 1);
  if (step.optional) best = Math.max(best, walk(steps, stepIndex + 1, tokens, at));
  return best;
}

/** The exact words and stems a pattern can start with, so a matcher can index patterns by first word. */
export function firstWord(pattern: Pattern): { exact: ReadonlySet<string>; prefixes: readonly string[] } {
  const first = pattern.steps[0] as WordStep;
  return { exact: first.exact, prefixes: first.prefixes };
}
