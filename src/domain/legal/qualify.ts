import type { IncidentDocument } from '../incident.js';
import type { Bilingual } from './circumstance-text.js';
import { loadVocabularyLabels, type VocabularyLabels } from './labels.js';
import { describeMatches, type ActMatch } from './reasons.js';
import { byRuleNumber, type LegalRule } from './rules.js';
import { actFactsOf, matchCondition } from './trigger.js';

/**
 * One rule an incident appears to break (or, for protection rules, to call into play), with the rule's
 * own words so that an alert can quote it as it stood when the incident was qualified.
 */
export interface LegalFinding {
  ruleId: string;
  ruleVersion: number;
  title: Bilingual;
  citation: Bilingual;
  statement: Bilingual;
  status: LegalRule['status'];
  /** What is still to confirm about the rule, when its status is `to_confirm`; shown with the finding. */
  toConfirm: Bilingual | null;
  severity: LegalRule['severity'];
  addressees: string[];
  recommendation: Bilingual;
  /** The acts that matched, in the record's order. */
  actIds: string[];
  reasons: Bilingual;
}

/**
 * The legal qualification of an incident: every rule whose trigger holds for at least one of its acts,
 * ordered by rule number. Pure and deterministic, so that a stored qualification can be recomputed and
 * compared; the vocabulary labels are read once, on the first call, unless given.
 */
export function qualifyIncident(
  doc: IncidentDocument,
  rules: readonly LegalRule[],
  labels: VocabularyLabels = loadVocabularyLabels(),
): LegalFinding[] {
  const acts = actFactsOf(doc);
  const findings: LegalFinding[] = [];
  for (const rule of byRuleNumber(rules)) {
    const matches: ActMatch[] = [];
    for (const facts of acts) {
      const evidence = matchCondition(rule.trigger, facts);
      if (evidence) matches.push({ actId: facts.actId, actType: facts.actType, evidence });
    }
    if (matches.length === 0) continue;
    findings.push({
      ruleId: rule.id,
      ruleVersion: rule.version,
      title: rule.title,
      citation: rule.citation,
      statement: rule.statement,
      status: rule.status,
      toConfirm: rule.toConfirm,
      severity: rule.severity,
      addressees: rule.addressees,
      recommendation: rule.recommendation,
      actIds: matches.map((m) => m.actId),
      reasons: describeMatches(matches, labels),
    });
  }
  return findings;
}
