import type { TriageLexicon } from './lexicon.js';
import { fold, phraseTokens } from './normalize.js';
import { compileTriggers, type TriggerIndexes } from './triggers.js';

/**
 * Everything triage matches a report against, compiled once: the states and the ~2,500 municipalities the
 * caller loaded from the database, and the lexicon's trigger phrases. Names are indexed by their first
 * folded word, so a report is read once, word by word, instead of being searched for every name.
 */

/** A state as the caller loads it from `ref_states`. */
export interface GazetteerState {
  code: string;
  name: string;
  officialName: string;
  abbreviation: string;
}

/** A municipality as the caller loads it from the INEGI catalogue. */
export interface GazetteerMunicipality {
  cvegeo: string;
  stateCode: string;
  name: string;
}

/**
 * How much a name by itself says it is a place.
 * - `plain`: a name that is hardly anything else ("Tijuana", "Agua Prieta").
 * - `marker`: a common word or a person's name ("Progreso", "Juárez", "Tala"); it counts only after a
 *   place marker ("municipio de"), or written with a capital mid-sentence and either after "en" and before
 *   a comma or full stop ("en Progreso,") or with one of its states named elsewhere in the report.
 * - `capital`: an article and one word ("La Compañía", "El Fuerte"); it counts after a place marker or when
 *   the word after the article has a capital mid-sentence ("la compañía de luz" does not).
 */
export type NameStrength = 'plain' | 'marker' | 'capital';

/** One name in the index: a state or a municipality name shared by one or more codes. */
export interface PlaceName {
  kind: 'state' | 'municipality';
  words: readonly string[];
  /** State codes, or the cvegeo of every municipality with this name. */
  codes: readonly string[];
  strength: NameStrength;
  /** For an abbreviation ("Coah.", "BC"): the exact spelling that must stand in the report. */
  exactSpelling?: string;
  /** How sure a match of this name alone makes us of a state (abbreviations are weaker). */
  weight: number;
}

/** The compiled matcher input `suggestFromText` needs; build it once and reuse it for every report. */
export interface Gazetteer {
  lexiconVersion: string;
  triggers: TriggerIndexes;
  /** Names by their first folded word, longest first. */
  names: ReadonlyMap<string, readonly PlaceName[]>;
  stateOfMunicipality: ReadonlyMap<string, string>;
  placeMarkers: readonly (readonly string[])[];
  notPlaceMarkers: readonly (readonly string[])[];
}

const ARTICLES = new Set(['el', 'la', 'los', 'las']);
const STATE_NAME_WEIGHT = 0.9;
const STATE_ABBREVIATION_WEIGHT = 0.8;

/**
 * Compiles states, municipalities and the lexicon into a `Gazetteer`. Pure: the caller reads the rows from
 * the database and the lexicon with `readTriageLexicon`, so the same function serves tests and the server.
 */
export function buildGazetteer(
  places: { states: readonly GazetteerState[]; municipalities: readonly GazetteerMunicipality[] },
  lexicon: TriageLexicon,
): Gazetteer {
  const rules = lexicon.places;
  const needsMarker = new Set(rules.markerRequired.map(fold));
  const ignoredNames = new Set(rules.ignoredStateNames.map(fold));
  const ignoredAbbreviations = new Set(rules.ignoredStateAbbreviations);
  const byKey = new Map<string, PlaceName>();

  const add = (name: Omit<PlaceName, 'codes'>, code: string): void => {
    if (name.words.length === 0) return;
    const key = `${name.kind}|${name.exactSpelling ?? ''}|${name.words.join(' ')}`;
    const existing = byKey.get(key);
    if (existing) {
      if (!existing.codes.includes(code)) byKey.set(key, { ...existing, codes: [...existing.codes, code] });
    } else {
      byKey.set(key, { ...name, codes: [code] });
    }
  };

  for (const state of places.states) {
    const phrases = [state.name, state.officialName, ...(rules.stateAliases[state.code] ?? [])];
    for (const phrase of phrases) {
      const words = phraseTokens(phrase);
      if (ignoredNames.has(words.join(' '))) continue;
      const strength = needsMarker.has(words.join(' ')) ? 'capital' : 'plain';
      add({ kind: 'state', words, strength, weight: STATE_NAME_WEIGHT }, state.code);
    }
    if (!ignoredAbbreviations.has(state.abbreviation)) {
      const words = phraseTokens(state.abbreviation);
      const exactSpelling = state.abbreviation;
      add({ kind: 'state', words, strength: 'plain', exactSpelling, weight: STATE_ABBREVIATION_WEIGHT }, state.code);
    }
  }

  const stateOfMunicipality = new Map<string, string>();
  for (const municipality of places.municipalities) {
    stateOfMunicipality.set(municipality.cvegeo, municipality.stateCode);
    const words = phraseTokens(municipality.name);
    add({ kind: 'municipality', words, strength: strengthOf(words, needsMarker, rules.shortNameLength), weight: 1 }, municipality.cvegeo);
  }
  for (const alias of rules.municipalityAliases) {
    if (!stateOfMunicipality.has(alias.cvegeo)) continue;
    for (const phrase of alias.phrases) {
      add({ kind: 'municipality', words: phraseTokens(phrase), strength: 'plain', weight: 1 }, alias.cvegeo);
    }
  }

  const names = new Map<string, PlaceName[]>();
  for (const name of byKey.values()) {
    const first = name.words[0]!;
    names.set(first, [...(names.get(first) ?? []), name]);
  }
  for (const list of names.values()) list.sort((a, b) => b.words.length - a.words.length);

  return {
    lexiconVersion: lexicon.version,
    triggers: compileTriggers(lexicon),
    names,
    stateOfMunicipality,
    placeMarkers: rules.placeMarkers.map(phraseTokens),
    notPlaceMarkers: rules.notPlaceMarkers.map(phraseTokens),
  };
}

function strengthOf(words: readonly string[], needsMarker: ReadonlySet<string>, shortNameLength: number): NameStrength {
  if (needsMarker.has(words.join(' '))) return 'marker';
  if (words.length === 1 && words[0]!.length <= shortNameLength) return 'marker';
  if (words.length === 2 && ARTICLES.has(words[0]!)) return 'capital';
  return 'plain';
}
