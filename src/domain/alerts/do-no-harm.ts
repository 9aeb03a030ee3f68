import { ALERT_LANGUAGES, type AlertLanguage, type AlertText } from '../alert.js';

/**
 * The do-no-harm check (DOMAIN.md §8): an alert may not carry a name, phone, e-mail or exact place held
 * in the sealed fields of the incidents it speaks of, nor any phone or e-mail at all, nor a figure small
 * enough to point at one shelter or person. Pure: the command opens the sealed values and passes them in;
 * findings point at the alert's own text (language, section, offsets), never at the sealed record, and
 * nothing here logs.
 */

export const ALERT_SECTIONS = ['title', 'summary', 'facts', 'cases', 'legalFramework', 'recommendations'] as const satisfies readonly (keyof AlertText)[];
export type AlertSection = (typeof ALERT_SECTIONS)[number];

export const DO_NO_HARM_KINDS = ['name', 'phone', 'email', 'address', 'small_number'] as const;
export type DoNoHarmKind = (typeof DO_NO_HARM_KINDS)[number];

/** One thing that blocks publication, and where it is: `start`/`end` are offsets in that section's text. */
export interface DoNoHarmFinding {
  language: AlertLanguage;
  section: AlertSection;
  kind: DoNoHarmKind;
  excerpt: string;
  start: number;
  end: number;
}

/** The sealed values of the included incidents, sorted by what they are. */
export interface SealedValues {
  names: string[];
  phones: string[];
  emails: string[];
  /** Contacts that are neither a phone nor an e-mail (an address, a handle). */
  addresses: string[];
  coordinates: { lat: number; lon: number }[];
}

export const EMPTY_SEALED_VALUES: SealedValues = Object.freeze({ names: [], phones: [], emails: [], addresses: [], coordinates: [] }) as SealedValues;

export interface DoNoHarmOptions {
  sealed: SealedValues;
  /** Figures under this, for a place, block publication (config.smallNumberThreshold). */
  smallNumberThreshold: number;
  /** Names of the places a figure could be about: states and municipalities. */
  placeNames: readonly string[];
}

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
/** A run of at least 8 digits with the separators phone numbers are written with. */
const PHONE = /\+?\d[\d\s().-]{6,}\d/g;
const YEAR_RANGE = /^\d{4}\s*[-.]\s*\d{4}$/;
const MONTHS = [
  'enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'setiembre', 'octubre', 'noviembre', 'diciembre',
  'january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december',
];
const NUMBER_WORDS: Record<string, number> = { un: 1, uno: 1, una: 1, dos: 2, tres: 3, cuatro: 4, cinco: 5, one: 1, two: 2, three: 3, four: 4, five: 5 };
const COUNT_NOUNS = /^(incidentes?|casos?|hechos?|agresion(es)?|ataques?|eventos?|incidents?|cases?|attacks?|events?)$/;
/** How many places there are is not a figure about one place. */
const PLACE_NOUNS = /^(estados?|states?|municipios?|municipalities|municipality|entidades|entidad)$/;
const REFERENCE_WORDS = /^(art|arts|articulo|articulos|article|articles|fraccion|fracciones|fraction|fractions|no|num|numero|number|r)$/;

/**
 * Lower-case, accents off, every run of white space one space — with, for each character of the folded
 * text, its offset in the original, so a match can be shown where it is.
 */
export function foldWithOffsets(text: string): { folded: string; offsets: number[] } {
  let folded = '';
  const offsets: number[] = [];
  let lastSpace = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    if (/\s/.test(char)) {
      if (!lastSpace) {
        folded += ' ';
        offsets.push(i);
      }
      lastSpace = true;
      continue;
    }
    lastSpace = false;
    for (const c of char.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()) {
      folded += c;
      offsets.push(i);
    }
  }
  offsets.push(text.length);
  return { folded, offsets };
}

export function fold(text: string): string {
  return foldWithOffsets(text.trim()).folded;
}

const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c);

/** Whole-word occurrences of `needle` (already folded) in the folded text, as original offsets. */
function findFolded(haystack: { folded: string; offsets: number[] }, needle: string): { start: number; end: number }[] {
  const found: { start: number; end: number }[] = [];
  if (needle.length === 0) return found;
  let from = 0;
  for (;;) {
    const at = haystack.folded.indexOf(needle, from);
    if (at < 0) return found;
    from = at + 1;
    if (isWordChar(haystack.folded[at - 1]) || isWordChar(haystack.folded[at + needle.length])) continue;
    found.push({ start: haystack.offsets[at]!, end: haystack.offsets[at + needle.length - 1]! + 1 });
  }
}

const digitsOf = (text: string) => text.replace(/\D/g, '');

/** Sorts sealed contacts by their shape. */
export function classifyContact(contact: string): 'phone' | 'email' | 'address' {
  if (/^[^@\s]+@[^@\s]+$/.test(contact.trim())) return 'email';
  const digits = digitsOf(contact);
  if (digits.length >= 7 && /^[\d\s()+.-]+$/.test(contact.trim())) return 'phone';
  return 'address';
}

/** Numbers written in the text that are below the threshold and stand for a count, with their offsets. */
function smallFigures(text: string, threshold: number): { start: number; end: number }[] {
  const found: { start: number; end: number }[] = [];
  const words = [...text.matchAll(/[\p{L}\p{N}]+/gu)].map((m) => ({ word: fold(m[0]), start: m.index, end: m.index + m[0].length }));
  words.forEach((w, i) => {
    const previous = words[i - 1]?.word;
    const next = words[i + 1]?.word;
    const afterNext = words[i + 2]?.word;
    let value: number | undefined;
    if (/^\d+$/.test(w.word)) {
      value = Number(w.word);
      // "art. 2", "1 de junio", "June 1", "R1" are references and dates, not counts.
      if (previous && (REFERENCE_WORDS.test(previous) || MONTHS.includes(previous))) return;
      if (next === 'de' && afterNext && MONTHS.includes(afterNext)) return;
      if (next && (MONTHS.includes(next) || PLACE_NOUNS.test(next))) return;
      if (text[w.end] === '.' && /\d/.test(text[w.end + 1] ?? '')) return;
      if (text[w.start - 1] === '.' && /\d/.test(text[w.start - 2] ?? '')) return;
    } else if (w.word in NUMBER_WORDS) {
      // A spelled number counts only before what is counted: "dos incidentes", "one case".
      if (!(next && COUNT_NOUNS.test(next)) && !(next && afterNext && COUNT_NOUNS.test(afterNext) && /^(mas|more|verified|verificados?)$/.test(next))) return;
      value = NUMBER_WORDS[w.word];
    }
    if (value !== undefined && value >= 1 && value < threshold) found.push({ start: w.start, end: w.end });
  });
  return found;
}

/** A sentence or list item: the unit within which a figure is read as being about a place. */
function segments(text: string): { start: number; end: number }[] {
  const result: { start: number; end: number }[] = [];
  const pattern = /[^\n.;]+/g;
  for (const m of text.matchAll(pattern)) result.push({ start: m.index, end: m.index + m[0].length });
  return result;
}

function excerptOf(text: string, start: number, end: number): string {
  const from = Math.max(0, start - 30);
  const to = Math.min(text.length, end + 30);
  return `${from > 0 ? '…' : ''}${text.slice(from, to).replace(/\s+/g, ' ')}${to < text.length ? '…' : ''}`;
}

/** Every finding in one section's text. */
export function checkSectionText(text: string, options: DoNoHarmOptions): { kind: DoNoHarmKind; start: number; end: number }[] {
  const found: { kind: DoNoHarmKind; start: number; end: number }[] = [];
  const folded = foldWithOffsets(text);
  for (const name of options.sealed.names) {
    const needle = fold(name);
    if (needle.length >= 3) for (const at of findFolded(folded, needle)) found.push({ kind: 'name', ...at });
  }
  for (const address of options.sealed.addresses) {
    const needle = fold(address);
    if (needle.length >= 5) for (const at of findFolded(folded, needle)) found.push({ kind: 'address', ...at });
  }
  for (const email of options.sealed.emails) {
    for (const at of findFolded(folded, fold(email))) found.push({ kind: 'email', ...at });
  }
  for (const m of text.matchAll(EMAIL)) found.push({ kind: 'email', start: m.index, end: m.index + m[0].length });
  const sealedPhones = options.sealed.phones.map(digitsOf).filter((d) => d.length >= 7);
  for (const m of text.matchAll(PHONE)) {
    const digits = digitsOf(m[0]);
    const sealed = sealedPhones.some((p) => digits.endsWith(p.slice(-8)) || p.endsWith(digits));
    if (!sealed && (digits.length < 8 || digits.length > 15 || YEAR_RANGE.test(m[0].trim()))) continue;
    found.push({ kind: 'phone', start: m.index, end: m.index + m[0].length });
  }
  // Exact coordinates: a decimal that rounds to a sealed latitude or longitude (to ~100 m).
  const sealedCoordinates = options.sealed.coordinates.flatMap((c) => [c.lat, c.lon].map((v) => Math.round(v * 1000)));
  if (sealedCoordinates.length) {
    for (const m of text.matchAll(/-?\d{1,3}\.\d{3,}/g)) {
      if (sealedCoordinates.includes(Math.round(Number(m[0]) * 1000))) found.push({ kind: 'address', start: m.index, end: m.index + m[0].length });
    }
  }
  const places = options.placeNames.map(fold).filter((p) => p.length >= 3);
  if (places.length) {
    const figures = smallFigures(text, options.smallNumberThreshold);
    for (const segment of segments(text)) {
      const inSegment = figures.filter((f) => f.start >= segment.start && f.end <= segment.end);
      if (inSegment.length === 0) continue;
      const segmentFolded = foldWithOffsets(text.slice(segment.start, segment.end));
      if (places.some((p) => findFolded(segmentFolded, p).length > 0)) for (const f of inSegment) found.push({ kind: 'small_number', ...f });
    }
  }
  return found;
}

/** The findings of both languages and every section, in reading order, each once. */
export function checkDoNoHarm(texts: Record<AlertLanguage, AlertText>, options: DoNoHarmOptions): DoNoHarmFinding[] {
  const findings: DoNoHarmFinding[] = [];
  for (const language of ALERT_LANGUAGES) {
    for (const section of ALERT_SECTIONS) {
      const text = texts[language][section];
      const seen = new Set<string>();
      const inSection = checkSectionText(text, options).sort((a, b) => a.start - b.start || b.end - a.end);
      for (const f of inSection) {
        const key = `${f.kind}:${f.start}:${f.end}`;
        if (seen.has(key)) continue;
        seen.add(key);
        findings.push({ language, section, kind: f.kind, start: f.start, end: f.end, excerpt: excerptOf(text, f.start, f.end) });
      }
    }
  }
  return findings;
}

/**
 * A narrative with every sealed value, phone, e-mail and sealed coordinate replaced by a mark, for the
 * illustrative cases of a draft. Small figures stay: drafting does not rewrite what a case says, and the
 * check still stops them before publication.
 */
export function redactText(text: string, sealed: SealedValues, mark: string): string {
  const hits = checkSectionText(text, { sealed, smallNumberThreshold: 0, placeNames: [] }).sort((a, b) => b.start - a.start);
  let result = text;
  let lastStart = Number.POSITIVE_INFINITY;
  for (const hit of hits) {
    if (hit.end > lastStart) continue;
    result = result.slice(0, hit.start) + mark + result.slice(hit.end);
    lastStart = hit.start;
  }
  return result;
}
