import { qualifyIncident, type LegalFinding } from '../domain/legal/qualify.js';
import { loadLegalRules } from '../domain/legal/rules.js';
import type { IncidentDocument } from '../domain/incident.js';

/**
 * The legal qualification stored with an incident, recomputed on every save from the rules shipped in
 * data/reference/legal-rules.json: the findings (with the rule's words and version as they stood) and
 * the ids of the rules triggered, for filters and the early-warning rules.
 */
export async function legalColumns(doc: IncidentDocument): Promise<{ legal: string; legal_rule_ids: string[] }> {
  const findings: LegalFinding[] = qualifyIncident(doc, loadLegalRules());
  return { legal: JSON.stringify(findings), legal_rule_ids: findings.map((f) => f.ruleId) };
}
