import type { KnowableAnswer } from '../incident.js';
import { CIRCUMSTANCE_TEXT, type Bilingual } from './circumstance-text.js';
import type { Language, VocabularyLabels } from './labels.js';
import type { CircumstanceName } from './rules.js';
import type { Evidence } from './trigger.js';

/** One act a rule matched, with the facts that made it match. */
export interface ActMatch {
  actId: string;
  actType: string;
  evidence: Evidence;
}

const WORDS = {
  es: { by: 'por', against: 'contra', at: 'en', and: 'y', act: 'acto', acts: 'actos' },
  en: { by: 'by', against: 'against', at: 'at', and: 'and', act: 'act', acts: 'acts' },
} as const;

/**
 * Why a rule matched, in one sentence per language, from the facts that made it match: "Intento de
 * ingreso forzado por Guardia Nacional en albergue o casa del migrante (acto a1)". A documenter must
 * be able to check a qualification against the record without reading the trigger. Acts described
 * the same way share one clause.
 */
export function describeMatches(matches: readonly ActMatch[], labels: VocabularyLabels): Bilingual {
  return { es: sentence(matches, labels, 'es'), en: sentence(matches, labels, 'en') };
}

function sentence(matches: readonly ActMatch[], labels: VocabularyLabels, language: Language): string {
  const words = WORDS[language];
  const actsByClause = new Map<string, string[]>();
  for (const match of matches) {
    const clause = describeAct(match, labels, language);
    actsByClause.set(clause, [...(actsByClause.get(clause) ?? []), match.actId]);
  }
  const clauses = [...actsByClause].map(
    ([clause, actIds]) => `${clause} (${actIds.length === 1 ? words.act : words.acts} ${actIds.join(', ')})`,
  );
  return `${clauses.join('; ')}.`;
}

function describeAct({ actType, evidence }: ActMatch, labels: VocabularyLabels, language: Language): string {
  const words = WORDS[language];
  const parts = [labels.label('act_types', actType, language)];
  if (evidence.perpetratorTypes.length > 0) {
    parts.push(`${words.by} ${list(evidence.perpetratorTypes.map((c) => labels.label('perpetrator_types', c, language)), words.and)}`);
  }
  if (evidence.victimCharacteristics.length > 0) {
    const kinds = evidence.victimCharacteristics.map((c) => midSentence(labels.label('victim_characteristics', c, language)));
    parts.push(`${words.against} ${list(kinds, words.and)}`);
  }
  if (evidence.placeType !== null) {
    parts.push(`${words.at} ${midSentence(labels.label('place_types', evidence.placeType, language))}`);
  }
  const facts = (Object.entries(evidence.circumstances) as Array<[CircumstanceName, KnowableAnswer]>).map(
    ([name, answer]) => CIRCUMSTANCE_TEXT[name].answers[answer][language],
  );
  return facts.length > 0 ? `${parts.join(' ')}, ${list(facts, words.and)}` : parts.join(' ');
}

function list(items: readonly string[], and: string): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${and} ${items[items.length - 1]}`;
}

// Labels are written to stand alone ("Albergue o casa del migrante"); inside a sentence the capital
// goes, unless the label opens with an acronym ("LGBTI").
function midSentence(label: string): string {
  const [first = '', second = ''] = label;
  return second === second.toLowerCase() ? first.toLowerCase() + label.slice(1) : label;
}
