import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldProblem } from '../../api/client';
import { signalsApi, type LegalRuleSummary, type RuleKind } from '../../api/signals';
import { useFormat } from '../../i18n/format';
import { useReferenceLanguage, type VocabularyName } from '../incidents/labels';

/**
 * The parameters each rule kind reads, as src/alerts/rule-kinds.ts checks them, with the input each
 * needs: a whole number, a number with decimals, or codes chosen from a vocabulary or the legal rules.
 */
export type ParameterInput = { input: 'count' } | { input: 'decimal' } | { input: 'codes'; from: VocabularyName | 'legal_rules' };
export type ParameterName =
  | 'minIncidents'
  | 'minStates'
  | 'days'
  | 'previousPeriods'
  | 'factor'
  | 'actTypes'
  | 'perpetratorTypes'
  | 'placeTypes'
  | 'legalRuleIds'
  | 'defenderActTypes'
  | 'defenderVictimTypes'
  | 'addressees';

const count = { input: 'count' } as const;
const codes = (from: VocabularyName | 'legal_rules') => ({ input: 'codes', from }) as const;

export const RULE_PARAMETERS: Record<RuleKind, ReadonlyArray<readonly [ParameterName, ParameterInput]>> = {
  spread: [
    ['minIncidents', count],
    ['minStates', count],
    ['days', count],
    ['actTypes', codes('act_types')],
    ['perpetratorTypes', codes('perpetrator_types')],
    ['placeTypes', codes('place_types')],
  ],
  escalation: [
    ['days', count],
    ['previousPeriods', count],
    ['factor', { input: 'decimal' }],
    ['minIncidents', count],
  ],
  repeat_targeting: [
    ['minIncidents', count],
    ['days', count],
  ],
  outside_mandate: [['legalRuleIds', codes('legal_rules')]],
  severity: [
    ['actTypes', codes('act_types')],
    ['defenderActTypes', codes('act_types')],
    ['defenderVictimTypes', codes('victim_characteristics')],
    ['addressees', codes('addressees')],
  ],
};

/** A day the server gives as "2019-07-20", in words, read in UTC so it never shifts with the time zone. */
export function useDayText(): (day: string) => string {
  const format = useFormat();
  return useCallback(
    (day: string) => {
      const [year, month, date] = day.split('-').map(Number) as [number, number, number];
      return format.dateTime(new Date(Date.UTC(year, month - 1, date, 12)), { dateStyle: 'long', timeZone: 'UTC' });
    },
    [format],
  );
}

/**
 * The field a server problem belongs to: "parameters.actTypes.2" is the act types' group, since the
 * form has one control per parameter, not per code.
 */
export function problemField(problem: FieldProblem): string {
  return problem.field.replace(/(\.\d+)+$/, '');
}

/**
 * A rule problem from the server (English, src/alerts/rule-kinds.ts) in the reader's language, with the
 * limit it names; anything not recognised is "not valid", which is still true.
 */
export function useRuleProblemText(): (problem: FieldProblem) => string {
  const { t } = useTranslation();
  const format = useFormat();
  return useCallback(
    (problem: FieldProblem) => {
      const message = problem.message;
      let match: RegExpExecArray | null;
      if (/whole number/i.test(message)) return t('rules.problems.wholeNumber');
      if (/expected number/i.test(message)) return t('rules.problems.number');
      if (/(name|choose) at least one/i.test(message)) return t('rules.problems.chooseOne');
      if (/must not be empty/i.test(message)) return t('rules.problems.empty');
      if ((match = /at least (\d+(?:\.\d+)?)/i.exec(message))) return t('rules.problems.atLeast', { min: format.number(Number(match[1])) });
      if ((match = /at most (\d+(?:\.\d+)?) characters/i.exec(message))) return t('rules.problems.tooLong', { max: format.number(Number(match[1])) });
      if ((match = /at most (\d+(?:\.\d+)?)/i.exec(message))) return t('rules.problems.atMost', { max: format.number(Number(match[1])) });
      return t('rules.problems.invalid');
    },
    [t, format],
  );
}

const legalRuleLists = new Map<string, Promise<LegalRuleSummary[]>>();

/**
 * The legal rules (R1…R12) in the reader's language, asked once per language; an empty list until they
 * arrive or if they cannot be had (the ids are shown then, which are still exact).
 */
export function useLegalRules(): LegalRuleSummary[] {
  const lang = useReferenceLanguage();
  const [rules, setRules] = useState<LegalRuleSummary[]>([]);
  useEffect(() => {
    let live = true;
    let list = legalRuleLists.get(lang);
    if (!list) {
      list = signalsApi.legalRules(lang).then(({ data }) => data);
      list.catch(() => legalRuleLists.delete(lang));
      legalRuleLists.set(lang, list);
    }
    list.then(
      (data) => live && setRules(data),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [lang]);
  return rules;
}

/** "R1 — Migration verification at a shelter (Migration Law, art. 76)", or the id alone until the list is here. */
export function legalRuleLabel(rules: readonly LegalRuleSummary[], id: string): string {
  const rule = rules.find((r) => r.id === id);
  return rule ? `${rule.id} — ${rule.title} (${rule.citation})` : id;
}

export function useLegalRuleName(): (id: string) => string {
  const rules = useLegalRules();
  return useCallback((id: string) => legalRuleLabel(rules, id), [rules]);
}
