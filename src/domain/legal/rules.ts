import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { REFERENCE_DATA_DIR } from '../../server/paths.js';
import { circumstancesSchema, KNOWABLE_ANSWERS, type KnowableAnswer } from '../incident.js';
import { TERM_CODE_PATTERN } from '../vocabularies.js';

/**
 * The legal rules of DOMAIN.md §4 live in `data/reference/legal-rules.json`, not in code, so that a
 * lawyer can correct a citation or a "to confirm" marker without a release. This file says what that
 * file may contain and reads it; `trigger.ts` says what its conditions mean.
 */

/** The file the product ships; `loadLegalRules()` reads it unless told otherwise. */
export const LEGAL_RULES_FILE = path.join(REFERENCE_DATA_DIR, 'legal-rules.json');

/** `verified`: the text was checked against the law; `to_confirm`: DOMAIN.md marks part of it as unchecked. */
export const RULE_STATUSES = ['verified', 'to_confirm'] as const;
/**
 * What kind of wrong a match points at: a force acting beyond its legal powers, a violation of a
 * right, or a duty to protect the people attacked. Alerts group their legal framework by it.
 */
export const RULE_SEVERITIES = ['outside_mandate', 'rights_violation', 'protection'] as const;

/** The circumstances of an incident a trigger may test, as the incident record names them. */
export const CIRCUMSTANCE_NAMES = circumstancesSchema.keyof().options;
export type CircumstanceName = (typeof CIRCUMSTANCE_NAMES)[number];

/**
 * One condition of a trigger. A rule is evaluated once per act of an incident; each operator looks at
 * that act, its victim, its involvements, and the incident's place and circumstances:
 * - `all` / `any` / `not`: every / at least one / none of the nested conditions holds.
 * - `actTypeIn`: the act's type is one of these act_types codes.
 * - `perpetratorTypeIn`: some involvement *of this act* has one of these perpetrator_types codes, so
 *   "GN did a migration check" never matches on an incident where GN only watched while police checked.
 * - `perpetratorTypeNotIn`: some involvement of this act has a perpetrator type outside these codes
 *   (an act with no involvement has none, so it does not match).
 * - `victimCharacteristicIn`: the act's victim has one of these victim_characteristics codes.
 * - `placeTypeIn`: the incident's place type is one of these place_types codes.
 * - `circumstance`: every circumstance named has the answer given ('yes', 'no' or 'unknown'); an
 *   unknown fact therefore does not match 'no', and `unknownFacts` asks the editor for it instead.
 */
export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { actTypeIn: string[] }
  | { perpetratorTypeIn: string[] }
  | { perpetratorTypeNotIn: string[] }
  | { victimCharacteristicIn: string[] }
  | { placeTypeIn: string[] }
  | { circumstance: Partial<Record<CircumstanceName, KnowableAnswer>> };

/** The operators that take codes, with the vocabulary their codes come from. */
export const CODE_OPERATORS = {
  actTypeIn: 'act_types',
  perpetratorTypeIn: 'perpetrator_types',
  perpetratorTypeNotIn: 'perpetrator_types',
  victimCharacteristicIn: 'victim_characteristics',
  placeTypeIn: 'place_types',
} as const;
type CodeOperator = keyof typeof CODE_OPERATORS;

const OPERATORS = ['all', 'any', 'not', ...(Object.keys(CODE_OPERATORS) as CodeOperator[]), 'circumstance'] as const;

const text = z.string().trim().min(1);
const bilingual = z.object({ es: text, en: text }).strict();
const code = z.string().regex(TERM_CODE_PATTERN, 'must be a vocabulary code such as "GN"');
const codeList = z
  .array(code)
  .min(1, 'must name at least one code')
  .refine((codes) => new Set(codes).size === codes.length, 'repeats a code');

const circumstanceTest = z
  .partialRecord(z.enum(CIRCUMSTANCE_NAMES), z.enum(KNOWABLE_ANSWERS))
  .refine((test) => Object.keys(test).length > 0, `must name a circumstance: ${CIRCUMSTANCE_NAMES.join(', ')}`);

// One object with every operator optional, then "exactly one": a union would only say "Invalid input"
// for a misspelt operator, where this says which key is wrong.
const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z
    .object({
      all: z.array(conditionSchema).min(1).optional(),
      any: z.array(conditionSchema).min(1).optional(),
      not: conditionSchema.optional(),
      actTypeIn: codeList.optional(),
      perpetratorTypeIn: codeList.optional(),
      perpetratorTypeNotIn: codeList.optional(),
      victimCharacteristicIn: codeList.optional(),
      placeTypeIn: codeList.optional(),
      circumstance: circumstanceTest.optional(),
    })
    .strict()
    .superRefine((condition, ctx) => {
      const used = Object.keys(condition);
      if (used.length !== 1) {
        ctx.addIssue({ code: 'custom', message: `must have exactly one operator (${OPERATORS.join(', ')}); has ${used.length ? used.join(', ') : 'none'}` });
      }
    })
    .transform((condition) => condition as Condition),
);

export const legalRuleSchema = z
  .object({
    id: z.string().regex(/^R[1-9]\d*$/, 'must be "R" and a number, such as "R7"'),
    /** Raised whenever the statement, citation or trigger changes, so a finding says which text it used. */
    version: z.number().int().min(1),
    title: bilingual,
    statement: bilingual,
    citation: bilingual,
    status: z.enum(RULE_STATUSES),
    /** What exactly is still to confirm; present exactly when the status is `to_confirm`. */
    toConfirm: bilingual.nullable(),
    severity: z.enum(RULE_SEVERITIES),
    addressees: codeList,
    recommendation: bilingual,
    trigger: conditionSchema,
  })
  .strict()
  .refine((rule) => (rule.status === 'to_confirm') === (rule.toConfirm !== null), {
    message: 'must say what is to confirm when, and only when, the status is "to_confirm"',
    path: ['toConfirm'],
  });

/** One rule as shipped. */
export type LegalRule = z.infer<typeof legalRuleSchema>;

export const legalRulesFileSchema = z
  .object({
    name: z.literal('legal_rules'),
    version: text,
    description: bilingual,
    rules: z.array(legalRuleSchema).min(1),
  })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.rules.forEach((rule, i) => {
      if (seen.has(rule.id)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: `repeats the id "${rule.id}"` });
      seen.add(rule.id);
    });
  });

/** A rules file that cannot be read or does not follow the schema; the message names the rule and the field. */
export class LegalRulesError extends Error {
  override name = 'LegalRulesError';
}

/** Rules in the order of their numbers ("R10" after "R9"), the order findings and questions follow. */
export function byRuleNumber<T extends { id: string }>(rules: readonly T[]): T[] {
  return [...rules].sort((a, b) => Number(a.id.slice(1)) - Number(b.id.slice(1)));
}

const cache = new Map<string, LegalRule[]>();

/**
 * The rules of a file, checked and ordered by number. Each file is read once per process: rules change
 * with a release or a restart, and qualifying an incident should not touch the disk.
 */
export function loadLegalRules(file: string = LEGAL_RULES_FILE): LegalRule[] {
  const key = path.resolve(file);
  const cached = cache.get(key);
  if (cached) return cached;
  const rules = parseLegalRules(readJson(key), path.basename(key));
  cache.set(key, rules);
  return rules;
}

/** Checks a parsed rules file; `where` names it in the error message. */
export function parseLegalRules(value: unknown, where: string): LegalRule[] {
  const result = legalRulesFileSchema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.slice(0, 5).map((issue) => `${describePath(issue.path, value)}: ${issue.message}`);
    const more = result.error.issues.length > 5 ? ` (and ${result.error.issues.length - 5} more)` : '';
    throw new LegalRulesError(`${where}: ${problems.join('; ')}${more}`);
  }
  return byRuleNumber(result.data.rules);
}

/** Answers whether a vocabulary has a code; `loadVocabularyLabels()` gives one for the shipped files. */
export interface VocabularyCodes {
  has(vocabulary: string, code: string): boolean;
}

/**
 * Every code a rule uses that its vocabulary lacks, as "R7 trigger victimCharacteristicIn: MIGRANTE".
 * A misspelt code would never match and the rule would fall silent, so the tests run this on the
 * shipped files.
 */
export function findUnknownCodes(rules: readonly LegalRule[], vocabularies: VocabularyCodes): string[] {
  const unknown: string[] = [];
  for (const rule of rules) {
    for (const addressee of rule.addressees) {
      if (!vocabularies.has('addressees', addressee)) unknown.push(`${rule.id} addressees: ${addressee}`);
    }
    for (const [operator, codes] of codesIn(rule.trigger)) {
      for (const c of codes) {
        if (!vocabularies.has(CODE_OPERATORS[operator], c)) unknown.push(`${rule.id} trigger ${operator}: ${c}`);
      }
    }
  }
  return unknown;
}

function codesIn(condition: Condition): Array<[CodeOperator, string[]]> {
  if ('all' in condition) return condition.all.flatMap(codesIn);
  if ('any' in condition) return condition.any.flatMap(codesIn);
  if ('not' in condition) return codesIn(condition.not);
  if ('circumstance' in condition) return [];
  const [operator, codes] = Object.entries(condition)[0] as [CodeOperator, string[]];
  return [[operator, codes]];
}

function readJson(file: string): unknown {
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new LegalRulesError(`The legal rules file ${file} cannot be read: ${(error as Error).message}`, { cause: error });
  }
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new LegalRulesError(`${path.basename(file)}: not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

// "rules.3.trigger.all.0" is hard to find in a file; "rule #4 (R4) trigger.all.0" is not.
function describePath(issuePath: ReadonlyArray<PropertyKey>, value: unknown): string {
  const [first, index, ...rest] = issuePath;
  if (first === 'rules' && typeof index === 'number') {
    const rule = (value as { rules?: Array<{ id?: unknown }> }).rules?.[index];
    const id = typeof rule?.id === 'string' ? ` (${rule.id})` : '';
    return `rule #${index + 1}${id}${rest.length ? ' ' + rest.map(String).join('.') : ''}`;
  }
  return issuePath.length ? issuePath.map(String).join('.') : '(file)';
}
