import type { IncidentDocument, KnowableAnswer } from '../incident.js';
import { CIRCUMSTANCE_TEXT, type Bilingual } from './circumstance-text.js';
import { CIRCUMSTANCE_NAMES, byRuleNumber, type CircumstanceName, type LegalRule } from './rules.js';
import { actFactsOf, circumstancesNamedBy, matchCondition } from './trigger.js';

/**
 * A circumstance still 'unknown' whose answer would change the qualification: with `answer`, the rule
 * would apply to `actIds` (`applies`) or would stop applying to them (`no_longer_applies`).
 */
export interface UnknownFact {
  fact: CircumstanceName;
  /** What the editor asks, e.g. "Was a written INM order shown?". */
  question: Bilingual;
  answer: Exclude<KnowableAnswer, 'unknown'>;
  effect: 'applies' | 'no_longer_applies';
  ruleId: string;
  actIds: string[];
}

const ANSWERS = ['yes', 'no'] as const;

/**
 * The questions worth asking about an incident: each unknown circumstance a rule tests, answered each
 * way in turn, wherever that changes whether the rule holds for an act. An unknown fact never makes a
 * rule apply on its own (a trigger that wants 'no' does not match 'unknown'), so without these prompts
 * "Was a written order shown?" would go unasked and the qualification would stay short. Ordered by
 * rule number, then circumstance, then answer.
 */
export function unknownFacts(doc: IncidentDocument, rules: readonly LegalRule[]): UnknownFact[] {
  const acts = actFactsOf(doc);
  const unknown = CIRCUMSTANCE_NAMES.filter((name) => doc.circumstances[name] === 'unknown');
  const facts: UnknownFact[] = [];
  for (const rule of byRuleNumber(rules)) {
    const tested = circumstancesNamedBy(rule.trigger);
    for (const fact of unknown.filter((name) => tested.includes(name))) {
      for (const answer of ANSWERS) {
        const changed = { applies: [] as string[], no_longer_applies: [] as string[] };
        for (const act of acts) {
          const now = matchCondition(rule.trigger, act) !== null;
          const then = matchCondition(rule.trigger, { ...act, circumstances: { ...act.circumstances, [fact]: answer } }) !== null;
          if (then && !now) changed.applies.push(act.actId);
          if (now && !then) changed.no_longer_applies.push(act.actId);
        }
        for (const effect of ['applies', 'no_longer_applies'] as const) {
          if (changed[effect].length === 0) continue;
          facts.push({ fact, question: CIRCUMSTANCE_TEXT[fact].question, answer, effect, ruleId: rule.id, actIds: changed[effect] });
        }
      }
    }
  }
  return facts;
}
