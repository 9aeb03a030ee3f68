/**
 * Text normalisation for matching Spanish reports against names and trigger phrases.
 *
 * Reports are typed in a hurry, on phones, with or without accents and in any case ("GUARDIA NACIONAL",
 * "policia estatal", "G.N."). Matching therefore works on folded words, but a suggestion must point back at
 * the words the person actually wrote, so every token keeps its offsets in the ORIGINAL text: a reviewer sees
 * `text.slice(start, end)` highlighted, never a folded copy.
 */

/** One word of a text: its folded form for matching and where it stands in the original. */
export interface Token {
  /** Lower case, without diacritics, dots of an acronym removed ("G.N." → "gn", "Policía" → "policia"). */
  norm: string;
  /** Offset of the first UTF-16 unit of the word in the original text. */
  start: number;
  /** Offset just after the word in the original text (for an acronym, after its last dot). */
  end: number;
  /** The first letter is upper case in the original: a weak sign of a proper name. */
  capitalized: boolean;
  /** Upper case but at the start of the text or of a sentence, where capitals say nothing about names. */
  sentenceInitial: boolean;
}

const COMBINING_MARKS = /\p{M}+/gu;
const WORD = /[\p{L}\p{N}]+/gu;
// Two or more single letters each followed by a dot, optionally spaced: "G.N.", "I.N.M.", "G. N.".
const DOTTED_ACRONYM = /(?<![\p{L}\p{N}])\p{L}\.(?:\s?\p{L}\.)+/gu;
const SENTENCE_END = /[.!?¡¿\n]/u;

/**
 * Folds one string the way tokens are folded: NFD, combining marks dropped, lower case. Names from the
 * catalogue and phrases from the lexicon go through this too, so both sides of a comparison agree.
 * "ñ" becomes "n": reports written without the tilde ("compania") must still match.
 */
export function fold(text: string): string {
  return text.normalize('NFD').replace(COMBINING_MARKS, '').toLowerCase().normalize('NFC');
}

/**
 * Splits a text into words with their original offsets. Punctuation separates words and is dropped,
 * except inside dotted acronyms, which become one word so that "G.N." and "I.N.M." match like "GN" and
 * "INM". Apostrophes and hyphens separate words too, as they do in the municipality catalogue.
 */
export function tokenize(text: string): Token[] {
  const acronyms: { start: number; end: number; norm: string }[] = [];
  for (const match of text.matchAll(DOTTED_ACRONYM)) {
    const start = match.index;
    acronyms.push({ start, end: start + match[0].length, norm: fold(match[0].replace(/[\s.]/gu, '')) });
  }

  const tokens: Token[] = [];
  let nextAcronym = 0;
  for (const match of text.matchAll(WORD)) {
    const start = match.index;
    while (nextAcronym < acronyms.length && start >= acronyms[nextAcronym]!.end) nextAcronym += 1;
    const current = acronyms[nextAcronym];
    if (current && start >= current.start && start < current.end) {
      // The letters of an acronym: emit it once, at its first letter.
      if (start === current.start) tokens.push(makeToken(text, current.start, current.end, current.norm));
      continue;
    }
    tokens.push(makeToken(text, start, start + match[0].length, fold(match[0])));
  }
  return tokens;
}

function makeToken(text: string, start: number, end: number, norm: string): Token {
  const first = text.charAt(start);
  const capitalized = first !== first.toLowerCase();
  return { norm, start, end, capitalized, sentenceInitial: capitalized && followsSentenceEnd(text, start) };
}

function followsSentenceEnd(text: string, start: number): boolean {
  for (let i = start - 1; i >= 0; i -= 1) {
    const char = text.charAt(i);
    if (/\s/u.test(char) || char === '"' || char === '«' || char === '(') continue;
    return SENTENCE_END.test(char);
  }
  return true;
}

/** Folds a phrase into the word sequence the matcher compares, using the same rules as report text. */
export function phraseTokens(phrase: string): string[] {
  return tokenize(phrase).map((token) => token.norm);
}

/** The stretch of original text covered by tokens `from`..`to` (inclusive), as evidence shows it. */
export function spanOf(text: string, tokens: readonly Token[], from: number, to: number): Evidence {
  const start = tokens[from]!.start;
  const end = tokens[to]!.end;
  return { text: text.slice(start, end), start, end };
}

/** Words of the original text that led to a suggestion; `text === original.slice(start, end)`. */
export interface Evidence {
  text: string;
  start: number;
  end: number;
}
