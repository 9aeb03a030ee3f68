import type { Evidence } from './normalize.js';

/**
 * From single matches to suggestions. Every matcher (trigger phrases, states, municipalities) reports hits
 * as token ranges; this file decides which survive when they overlap and how several hits for one code add
 * up, so the rules are the same for every list a reviewer sees.
 */

/** One match: which code it supports, how strongly, and which words (token indexes, inclusive). */
export interface Hit {
  code: string;
  weight: number;
  from: number;
  to: number;
  evidence: Evidence;
}

/** A suggested code with the words it came from; `score` (0..1) orders suggestions, it is not a verdict. */
export interface Suggestion {
  code: string;
  evidence: Evidence[];
  score: number;
}

// Text alone never makes a suggestion certain; a person decides.
const MAX_SCORE = 0.99;

function length(hit: Hit): number {
  return hit.to - hit.from + 1;
}

function overlaps(a: Hit, b: Hit): boolean {
  return a.from <= b.to && b.from <= a.to;
}

/**
 * Drops every hit that overlaps a longer one: the longer reading is the more specific ("Baja California
 * Sur" over "Baja California", "guardias de seguridad privada" over "guardias", "amenazaron de muerte" over
 * "amenazaron"). Hits of equal length for different codes are all kept, so a span that really means two
 * things (the state and the city of "Chihuahua") keeps both readings; for the same code only the first
 * is kept, so "la Guardia Nacional" is one piece of evidence, not two.
 */
export function keepLongest<T extends Hit>(hits: readonly T[]): T[] {
  const byLength = [...hits].sort((a, b) => length(b) - length(a) || a.from - b.from);
  const kept: T[] = [];
  for (const hit of byLength) {
    const beaten = kept.some(
      (other) => overlaps(other, hit) && (length(other) > length(hit) || other.code === hit.code),
    );
    if (!beaten) kept.push(hit);
  }
  return kept.sort((a, b) => a.from - b.from || a.to - b.to);
}

/**
 * Independent pieces of evidence combine like independent chances of being right (1 − Π(1 − w)): a
 * second mention raises the score without ever reaching certainty, and one weak hit stays weak.
 */
export function combineWeights(weights: readonly number[]): number {
  const doubt = weights.reduce((rest, weight) => rest * (1 - weight), 1);
  return Math.min(MAX_SCORE, Math.round((1 - doubt) * 1000) / 1000);
}

/**
 * Groups hits by code into suggestions, strongest first (ties by code, so output is stable). The same words
 * matched twice for one code count once, with their strongest weight.
 */
export function toSuggestions(hits: readonly Hit[]): Suggestion[] {
  const byCode = new Map<string, Map<string, Hit>>();
  for (const hit of hits) {
    const spans = byCode.get(hit.code) ?? new Map<string, Hit>();
    const key = `${hit.evidence.start}:${hit.evidence.end}`;
    const previous = spans.get(key);
    if (!previous || previous.weight < hit.weight) spans.set(key, hit);
    byCode.set(hit.code, spans);
  }
  const suggestions = [...byCode].map(([code, spans]) => {
    const kept = [...spans.values()].sort((a, b) => a.evidence.start - b.evidence.start);
    return {
      code,
      evidence: kept.map((hit) => hit.evidence),
      score: combineWeights(kept.map((hit) => hit.weight)),
    };
  });
  return suggestions.sort((a, b) => b.score - a.score || a.code.localeCompare(b.code));
}
