import { tokenize } from './normalize.js';

/**
 * Flags reports that probably describe the same incident, so that two shelters (or a shelter and a
 * journalist) reporting one raid become one incident with two sources rather than two incidents that
 * double the count. The score orders candidates for a person to compare; nothing is merged automatically.
 */

/** What duplicate detection compares: where, when and what was said. */
export interface DuplicateSubject {
  stateCode: string;
  municipalityCode: string | null;
  /** ISO date 'YYYY-MM-DD', or null when the report does not say. */
  date: string | null;
  text: string;
}

export type DuplicateReason = 'same_place' | 'close_dates' | 'similar_text';

export interface DuplicateScore {
  /** 0..1; place, dates and wording weighted 0.35, 0.25 and 0.4. */
  score: number;
  reasons: DuplicateReason[];
}

export interface DuplicateOptions {
  /** Dates at most this many days apart count as close (default 7: reports often come days later). */
  maxDays?: number;
}

const DEFAULT_MAX_DAYS = 7;
const PLACE_WEIGHT = 0.35;
const DATE_WEIGHT = 0.25;
const TEXT_WEIGHT = 0.4;
// A missing date neither confirms nor rules out: it counts half.
const UNKNOWN_DATE = 0.5;
// Wording shared this much (Jaccard over stems and stem pairs) is worth naming as a reason.
const SIMILAR_TEXT = 0.2;
// Long enough to join "golpearon"/"golpes" and "albergue"/"albergados", short enough to keep "migración"
// apart from "migrantes".
const STEM_LENGTH = 6;
const DAY_MS = 86_400_000;

// Words that carry no content in a report; without them, two reports share words only when they share facts.
const STOP_WORDS = new Set(
  (
    'a al algo algun alguna algunos ante antes aqui asi aun bajo bien cada como con contra cual cuando de del ' +
    'desde donde dos durante e el ella ellas ello ellos en entre era eran es esa esas ese eso esos esta estaba ' +
    'estaban estado estan estar este esto estos fue fueron ha habia habian han hasta hay la las le les lo los ' +
    'mas me mi mis mismo muy nada ni no nos nosotros nuestra nuestro nuestros o otra otro otros para pero poco ' +
    'por porque que quien se sea segun ser si sido sin sobre solo son su sus tambien tan tanto te tenia tiene ' +
    'todo todos tras tu un una unas uno unos y ya'
  ).split(' '),
);

/** The stems and pairs of consecutive stems of a text, without stop words. */
export function shingles(text: string): Set<string> {
  const stems = tokenize(text)
    .map((token) => token.norm)
    .filter((word) => !STOP_WORDS.has(word) && !/^\d+$/u.test(word))
    .map((word) => word.slice(0, STEM_LENGTH));
  const result = new Set(stems);
  for (let i = 1; i < stems.length; i += 1) result.add(`${stems[i - 1]} ${stems[i]}`);
  return result;
}

/** |A ∩ B| / |A ∪ B|; 0 when both are empty, so two empty texts are not "identical". */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let shared = 0;
  for (const item of a) if (b.has(item)) shared += 1;
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : shared / union;
}

function placeSimilarity(a: DuplicateSubject, b: DuplicateSubject): number {
  if (a.stateCode !== b.stateCode) return 0;
  if (a.municipalityCode && b.municipalityCode) return a.municipalityCode === b.municipalityCode ? 1 : 0.2;
  // Same state, one municipality unknown: plausibly the same place.
  return 0.6;
}

function daysApart(a: string, b: string): number {
  return Math.abs(Date.parse(`${a}T00:00:00Z`) - Date.parse(`${b}T00:00:00Z`)) / DAY_MS;
}

function scoreWith(
  a: DuplicateSubject,
  b: DuplicateSubject,
  aShingles: ReadonlySet<string>,
  bShingles: ReadonlySet<string>,
  maxDays: number,
): DuplicateScore {
  const reasons: DuplicateReason[] = [];
  const place = placeSimilarity(a, b);
  if (place >= 0.6) reasons.push('same_place');

  let dates = UNKNOWN_DATE;
  if (a.date && b.date) {
    const days = daysApart(a.date, b.date);
    dates = days <= maxDays ? 1 - days / (maxDays + 1) : 0;
    if (days <= maxDays) reasons.push('close_dates');
  }

  const wording = jaccard(aShingles, bShingles);
  if (wording >= SIMILAR_TEXT) reasons.push('similar_text');
  // Reports of one event rarely share more than half their words; reaching that counts as full similarity.
  const text = Math.min(1, wording * 2);

  const score = PLACE_WEIGHT * place + DATE_WEIGHT * dates + TEXT_WEIGHT * text;
  return { score: Math.round(score * 1000) / 1000, reasons };
}

/** How likely two reports describe the same incident, and why. */
export function duplicateScore(a: DuplicateSubject, b: DuplicateSubject, options: DuplicateOptions = {}): DuplicateScore {
  return scoreWith(a, b, shingles(a.text), shingles(b.text), options.maxDays ?? DEFAULT_MAX_DAYS);
}

/** One likely duplicate of a candidate, with the record it was compared to. */
export interface LikelyDuplicate<T> extends DuplicateScore {
  item: T;
}

/**
 * The records among `others` scoring at least `threshold` against `candidate`, most likely first. The
 * candidate's wording is read once however many records it is compared to.
 */
export function findLikelyDuplicates<T extends DuplicateSubject>(
  candidate: DuplicateSubject,
  others: readonly T[],
  options: DuplicateOptions & { threshold: number },
): LikelyDuplicate<T>[] {
  const maxDays = options.maxDays ?? DEFAULT_MAX_DAYS;
  const candidateShingles = shingles(candidate.text);
  return others
    .map((item) => ({ item, ...scoreWith(candidate, item, candidateShingles, shingles(item.text), maxDays) }))
    .filter((result) => result.score >= options.threshold)
    .sort((a, b) => b.score - a.score);
}
