import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadVocabularyLabels } from './labels.js';
import { findUnknownCodes, LEGAL_RULES_FILE, LegalRulesError, loadLegalRules, parseLegalRules, type LegalRule } from './rules.js';

const shipped = JSON.parse(fs.readFileSync(LEGAL_RULES_FILE, 'utf8')) as { rules: Array<Record<string, unknown>> };

/** The shipped file with one rule changed, to see what the loader says about it. */
function withRule(index: number, change: Record<string, unknown>): unknown {
  return { ...shipped, rules: shipped.rules.map((rule, i) => (i === index ? { ...rule, ...change } : rule)) };
}

describe('the shipped legal rules', () => {
  const rules = loadLegalRules();

  it('are R1 to R12 of DOMAIN.md §4, in number order', () => {
    expect(rules.map((r) => r.id)).toEqual(['R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7', 'R8', 'R9', 'R10', 'R11', 'R12']);
  });

  it('keep the "to confirm" markers DOMAIN.md gives, saying what is to confirm', () => {
    expect(rules.filter((r) => r.status === 'to_confirm').map((r) => r.id)).toEqual(['R6', 'R9', 'R10', 'R11']);
    for (const rule of rules.filter((r) => r.status === 'to_confirm')) {
      expect(rule.toConfirm?.es).toMatch(/por confirmar/i);
      expect(rule.toConfirm?.en).toMatch(/to confirm/i);
    }
  });

  it('only use codes that exist in the shipped vocabularies', () => {
    expect(findUnknownCodes(rules, loadVocabularyLabels())).toEqual([]);
  });

  it('are read once', () => {
    expect(loadLegalRules()).toBe(rules);
  });
});

describe('findUnknownCodes', () => {
  it('names the rule, the operator and the code a vocabulary lacks', () => {
    const [rule] = parseLegalRules(withRule(6, { trigger: { all: [{ victimCharacteristicIn: ['MIGRANTE'] }, { not: { perpetratorTypeIn: ['INM'] } }] } }), 'test').filter((r) => r.id === 'R7');
    expect(findUnknownCodes([rule as LegalRule], loadVocabularyLabels())).toEqual(['R7 trigger victimCharacteristicIn: MIGRANTE']);
  });

  it('checks addressees against addressees.json', () => {
    const [rule] = parseLegalRules(withRule(0, { addressees: ['INM', 'GOBERNACION'] }), 'test');
    expect(findUnknownCodes([rule as LegalRule], loadVocabularyLabels())).toEqual(['R1 addressees: GOBERNACION']);
  });
});

describe('a malformed rules file', () => {
  it('names the rule and the field of a misspelt operator', () => {
    expect(() => parseLegalRules(withRule(2, { trigger: { all: [{ actTypeIN: ['MIGRATION_CHECK'] }] } }), 'legal-rules.json')).toThrow(
      /legal-rules\.json: rule #3 \(R3\) trigger\.all\.0: .*actTypeIN/,
    );
  });

  it('refuses a condition with two operators', () => {
    expect(() => parseLegalRules(withRule(0, { trigger: { actTypeIn: ['RAID'], placeTypeIn: ['HOME'] } }), 'f')).toThrow(
      /rule #1 \(R1\) trigger: must have exactly one operator .*has actTypeIn, placeTypeIn/,
    );
  });

  it('refuses a circumstance the incident record does not have', () => {
    expect(() => parseLegalRules(withRule(3, { trigger: { circumstance: { warrantShown: 'no' } } }), 'f')).toThrow(/rule #4 \(R4\) trigger\.circumstance/);
  });

  it('refuses a "to_confirm" rule that does not say what is to confirm', () => {
    expect(() => parseLegalRules(withRule(5, { toConfirm: null }), 'f')).toThrow(/rule #6 \(R6\) toConfirm: must say what is to confirm/);
  });

  it('refuses a repeated rule id', () => {
    expect(() => parseLegalRules(withRule(1, { id: 'R1' }), 'f')).toThrow(/rule #2 \(R1\) id: repeats the id "R1"/);
  });

  it('says when the file is not JSON', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vigia-rules-')), 'legal-rules.json');
    fs.writeFileSync(file, '{ "rules": [');
    expect(() => loadLegalRules(file)).toThrow(LegalRulesError);
    expect(() => loadLegalRules(file)).toThrow(/legal-rules\.json: not valid JSON/);
  });
});
