import type { Gazetteer, PlaceName } from './gazetteer.js';
import { keepLongest, type Hit } from './hits.js';
import { spanOf, type Token } from './normalize.js';

/**
 * Finds states and municipalities named in a tokenised report, and decides which names really are places.
 *
 * Rules, in order:
 * 1. Longest name wins: "Baja California Sur" over "Baja California", "Miguel Hidalgo" over "Hidalgo".
 * 2. A name right after a street, school or person word ("calle Hidalgo", "colonia Guerrero", "don Juárez")
 *    is not a place, whatever the name.
 * 3. A name that is also a common word or a person's name needs more (see `NameStrength` in gazetteer.ts).
 *    State names of that kind (Hidalgo, Morelos, Guerrero) need a capital.
 * 4. A municipality name shared by several states is narrowed to the states also named in the report
 *    (score 0.95); if none is named, every candidate is returned with 0.8 divided among them.
 * 5. A name that is both a state and a municipality ("Chihuahua", "Puebla") is the state; the city of that
 *    state is added with a low score (0.35), or 0.9 after a place marker ("ciudad de Puebla"). If another
 *    state is named and the name has a capital ("Hidalgo, Coahuila"), it is that state's municipality.
 * 6. A municipality found alone in its state (one candidate) also suggests its state, with the municipality
 *    as evidence and a weight of 0.6, below a state named outright.
 */

const UNIQUE_MUNICIPALITY_WEIGHT = 0.8;
const MENTIONED_STATE_WEIGHT = 0.95;
const CAPITAL_CITY_WEIGHT = 0.35;
const MARKED_CAPITAL_CITY_WEIGHT = 0.9;
const INFERRED_STATE_WEIGHT = 0.6;
const MIN_WEIGHT = 0.1;

interface NameHit extends Hit {
  name: PlaceName;
}

/** State and municipality hits in a report: codes are state codes and cvegeos respectively. */
export function findPlaces(
  text: string,
  tokens: readonly Token[],
  gazetteer: Gazetteer,
): { states: Hit[]; municipalities: Hit[] } {
  const found = keepLongest(findNames(text, tokens, gazetteer)).filter(
    (hit) => !precededBy(tokens, hit.from, gazetteer.notPlaceMarkers),
  );
  const stateHits = found
    .filter((hit) => hit.name.kind === 'state' && (hit.name.strength === 'plain' || tokens[hit.from]!.capitalized))
    .flatMap((hit) => hit.name.codes.map((code) => ({ ...hit, code })));
  const droppedStateHits = new Set<Hit>();
  const municipalities: Hit[] = [];

  for (const hit of found) {
    if (hit.name.kind !== 'municipality') continue;
    const sameSpan = stateHits.filter((state) => state.from === hit.from && state.to === hit.to);
    const spanStates = new Set(sameSpan.map((state) => state.code));
    const candidates = hit.name.codes;
    const inNamedStates = narrowByStates(candidates, hit, stateHits, spanStates, gazetteer);
    const marked = precededBy(tokens, hit.from, gazetteer.placeMarkers);
    const capitalized = tokens[hit.from]!.capitalized && !tokens[hit.from]!.sentenceInitial;
    const add = (codes: readonly string[], weight: number): void => {
      for (const code of codes) municipalities.push({ ...hit, code, weight: Math.max(MIN_WEIGHT, weight) });
    };

    if (sameSpan.length > 0) {
      if (inNamedStates.length > 0 && capitalized) {
        add(inNamedStates, MENTIONED_STATE_WEIGHT);
        sameSpan.forEach((state) => droppedStateHits.add(state));
        continue;
      }
      const capitals = candidates.filter((code) => spanStates.has(gazetteer.stateOfMunicipality.get(code)!));
      add(capitals, marked ? MARKED_CAPITAL_CITY_WEIGHT : CAPITAL_CITY_WEIGHT);
      continue;
    }
    if (!marked && !passesStrength(hit, tokens, text, capitalized, inNamedStates.length > 0)) continue;
    if (inNamedStates.length > 0) add(inNamedStates, MENTIONED_STATE_WEIGHT);
    else add(candidates, UNIQUE_MUNICIPALITY_WEIGHT / candidates.length);
  }

  const states: Hit[] = stateHits
    .filter((hit) => !droppedStateHits.has(hit))
    .map((hit) => ({ code: hit.code, weight: hit.weight, from: hit.from, to: hit.to, evidence: hit.evidence }));
  for (const municipality of municipalities) {
    if (municipality.weight < UNIQUE_MUNICIPALITY_WEIGHT) continue;
    const code = gazetteer.stateOfMunicipality.get(municipality.code)!;
    states.push({ ...municipality, code, weight: INFERRED_STATE_WEIGHT });
  }
  return { states, municipalities: municipalities.map(({ code, weight, from, to, evidence }) => ({ code, weight, from, to, evidence })) };
}

function findNames(text: string, tokens: readonly Token[], gazetteer: Gazetteer): NameHit[] {
  const hits: NameHit[] = [];
  tokens.forEach((token, from) => {
    for (const name of gazetteer.names.get(token.norm) ?? []) {
      const to = from + name.words.length - 1;
      if (!name.words.every((word, offset) => tokens[from + offset]?.norm === word)) continue;
      if (name.exactSpelling && text.slice(token.start, token.start + name.exactSpelling.length) !== name.exactSpelling) {
        continue;
      }
      // One hit per name, not per code: overlap resolution compares readings of the words, and a name
      // shared by five municipalities is still one reading.
      const code = `${name.kind}:${name.exactSpelling ?? ''}:${name.words.join(' ')}`;
      hits.push({ code, weight: name.weight, from, to, evidence: spanOf(text, tokens, from, to), name });
    }
  });
  return hits;
}

/**
 * The candidates whose state the report names, other than by these very words. A state named right after
 * the name ("Juárez, Chihuahua") decides alone; otherwise any state named anywhere in the report counts.
 */
function narrowByStates(
  candidates: readonly string[],
  hit: Hit,
  stateHits: readonly Hit[],
  spanStates: ReadonlySet<string>,
  gazetteer: Gazetteer,
): string[] {
  const stateOf = (code: string): string => gazetteer.stateOfMunicipality.get(code)!;
  const others = stateHits.filter((state) => !spanStates.has(state.code));
  const adjacent = new Set(others.filter((state) => state.from === hit.to + 1).map((state) => state.code));
  const nextToName = candidates.filter((code) => adjacent.has(stateOf(code)));
  if (nextToName.length > 0) return nextToName;
  const named = new Set(others.map((state) => state.code));
  return candidates.filter((code) => named.has(stateOf(code)));
}

/** Whether the words right before `from` are one of the marker phrases. */
function precededBy(tokens: readonly Token[], from: number, markers: readonly (readonly string[])[]): boolean {
  return markers.some(
    (marker) =>
      marker.length <= from && marker.every((word, offset) => tokens[from - marker.length + offset]!.norm === word),
  );
}

function passesStrength(
  hit: NameHit,
  tokens: readonly Token[],
  text: string,
  capitalized: boolean,
  stateNamed: boolean,
): boolean {
  switch (hit.name.strength) {
    case 'plain':
      return true;
    case 'capital': {
      const word = tokens[hit.from + 1]!;
      return word.capitalized && !word.sentenceInitial;
    }
    case 'marker': {
      if (!capitalized) return false;
      if (stateNamed) return true;
      const afterEn = tokens[hit.from - 1]?.norm === 'en';
      const next = text.slice(tokens[hit.to]!.end).trimStart().charAt(0);
      return afterEn && (next === ',' || next === '.' || next === '');
    }
  }
}
