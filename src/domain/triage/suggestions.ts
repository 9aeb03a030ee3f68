import type { Gazetteer } from './gazetteer.js';
import { toSuggestions, type Suggestion } from './hits.js';
import { tokenize } from './normalize.js';
import { findPlaces } from './places.js';
import { findTriggers } from './triggers.js';

export type { Suggestion } from './hits.js';
export type { Evidence } from './normalize.js';

/**
 * What a report seems to be about, for the person classifying it: every list holds vocabulary codes (state
 * codes and cvegeos for places), strongest first, each with the words of the report it came from, so the
 * reviewer can see why and dismiss a wrong guess at a glance.
 */
export interface Suggestions {
  states: Suggestion[];
  municipalities: Suggestion[];
  perpetratorTypes: Suggestion[];
  actTypes: Suggestion[];
  placeTypes: Suggestion[];
}

/**
 * Suggests states, municipalities, perpetrators, acts and types of place for a free-text report. Pure and
 * synchronous: the caller builds the gazetteer once (`buildGazetteer`) and can call this on every keystroke.
 *
 * Not understood, by design for now: negation ("no intentaron entrar" still suggests ATTEMPTED_ENTRY),
 * hypotheticals and reported speech. Suggestions are prompts for a person, never a classification.
 */
export function suggestFromText(text: string, gazetteer: Gazetteer): Suggestions {
  const tokens = tokenize(text);
  const places = findPlaces(text, tokens, gazetteer);
  return {
    states: toSuggestions(places.states),
    municipalities: toSuggestions(places.municipalities),
    perpetratorTypes: toSuggestions(findTriggers(text, tokens, gazetteer.triggers.perpetratorTypes)),
    actTypes: toSuggestions(findTriggers(text, tokens, gazetteer.triggers.actTypes)),
    placeTypes: toSuggestions(findTriggers(text, tokens, gazetteer.triggers.placeTypes)),
  };
}
