import type { Circumstances, IncidentDocument, KnowableAnswer } from '../incident.js';
import type { CircumstanceName, Condition } from './rules.js';

/**
 * What a trigger sees of one act: a rule is matched per act because "who did what to whom" is the
 * whole point — GN filming staff and police checking papers in the same incident must not add up to
 * "GN checked papers".
 */
export interface ActFacts {
  actId: string;
  actType: string;
  /** The characteristics of the act's victim. */
  victimCharacteristics: readonly string[];
  /** The perpetrator type of each involvement in this act, in the record's order. */
  perpetratorTypes: readonly string[];
  placeType: string | null;
  circumstances: Circumstances;
}

/**
 * The facts that made a condition hold, so a finding can say why in words. Facts under `not` are
 * left out: "no INM agent was there" is not something the record shows.
 */
export interface Evidence {
  perpetratorTypes: string[];
  victimCharacteristics: string[];
  placeType: string | null;
  circumstances: Partial<Record<CircumstanceName, KnowableAnswer>>;
}

/** The acts of an incident as triggers see them, in the record's order. */
export function actFactsOf(doc: IncidentDocument): ActFacts[] {
  const victims = new Map(doc.victims.map((v) => [v.id, v]));
  return doc.acts.map((act) => ({
    actId: act.id,
    actType: act.actType,
    victimCharacteristics: victims.get(act.victimId)?.characteristics ?? [],
    perpetratorTypes: doc.involvements.filter((i) => i.actId === act.id).map((i) => i.perpetratorType),
    placeType: doc.place.placeType,
    circumstances: doc.circumstances,
  }));
}

/** The evidence for a condition on one act, or null when it does not hold. */
export function matchCondition(condition: Condition, facts: ActFacts): Evidence | null {
  if ('all' in condition) {
    const parts = condition.all.map((c) => matchCondition(c, facts));
    return parts.every((p): p is Evidence => p !== null) ? merge(parts) : null;
  }
  if ('any' in condition) {
    const parts = condition.any.map((c) => matchCondition(c, facts)).filter((p): p is Evidence => p !== null);
    return parts.length > 0 ? merge(parts) : null;
  }
  if ('not' in condition) return matchCondition(condition.not, facts) === null ? none() : null;
  if ('actTypeIn' in condition) return condition.actTypeIn.includes(facts.actType) ? none() : null;
  if ('perpetratorTypeIn' in condition) {
    const found = facts.perpetratorTypes.filter((t) => condition.perpetratorTypeIn.includes(t));
    return found.length > 0 ? { ...none(), perpetratorTypes: found } : null;
  }
  if ('perpetratorTypeNotIn' in condition) {
    const found = facts.perpetratorTypes.filter((t) => !condition.perpetratorTypeNotIn.includes(t));
    return found.length > 0 ? { ...none(), perpetratorTypes: found } : null;
  }
  if ('victimCharacteristicIn' in condition) {
    const found = facts.victimCharacteristics.filter((c) => condition.victimCharacteristicIn.includes(c));
    return found.length > 0 ? { ...none(), victimCharacteristics: found } : null;
  }
  if ('placeTypeIn' in condition) {
    return facts.placeType !== null && condition.placeTypeIn.includes(facts.placeType) ? { ...none(), placeType: facts.placeType } : null;
  }
  const tested = Object.entries(condition.circumstance) as Array<[CircumstanceName, KnowableAnswer]>;
  return tested.every(([name, answer]) => facts.circumstances[name] === answer)
    ? { ...none(), circumstances: condition.circumstance }
    : null;
}

/** The circumstances a condition tests anywhere inside it, each once. */
export function circumstancesNamedBy(condition: Condition): CircumstanceName[] {
  if ('all' in condition) return unique(condition.all.flatMap(circumstancesNamedBy));
  if ('any' in condition) return unique(condition.any.flatMap(circumstancesNamedBy));
  if ('not' in condition) return circumstancesNamedBy(condition.not);
  if ('circumstance' in condition) return Object.keys(condition.circumstance) as CircumstanceName[];
  return [];
}

function none(): Evidence {
  return { perpetratorTypes: [], victimCharacteristics: [], placeType: null, circumstances: {} };
}

function merge(parts: Evidence[]): Evidence {
  return {
    perpetratorTypes: unique(parts.flatMap((p) => p.perpetratorTypes)),
    victimCharacteristics: unique(parts.flatMap((p) => p.victimCharacteristics)),
    placeType: parts.find((p) => p.placeType !== null)?.placeType ?? null,
    circumstances: Object.assign({}, ...parts.map((p) => p.circumstances)) as Evidence['circumstances'],
  };
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
