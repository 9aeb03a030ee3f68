import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { REFERENCE_DATA_DIR } from '../../server/paths.js';
import type { VocabularyCodes } from './rules.js';

/**
 * The words a legal finding uses for codes ("Guardia Nacional" for GN), read from the shipped
 * vocabulary files rather than the database, so that qualifying an incident stays a pure function
 * once they are loaded. Local terms an administrator adds exist only in the database: they show as
 * their code.
 */

/** The languages findings are written in. */
export type Language = 'es' | 'en';

/** The vocabularies a finding's reasons and a rule's codes refer to. */
export const LABELLED_VOCABULARIES = ['act_types', 'perpetrator_types', 'victim_characteristics', 'place_types', 'addressees'] as const;

/** Labels of the shipped vocabulary terms, by vocabulary and code. */
export interface VocabularyLabels extends VocabularyCodes {
  /** The term's label, or the code itself when the shipped file does not have it. */
  label(vocabulary: string, code: string, language: Language): string;
}

// Only what the labels need; the reference-data loader checks the rest of these files.
const labelFileSchema = z.object({
  name: z.string(),
  terms: z.array(z.object({ code: z.string(), label: z.object({ es: z.string(), en: z.string() }) })),
});

const cache = new Map<string, VocabularyLabels>();

/** Reads the vocabulary files once per folder; every later call returns the same lookup. */
export function loadVocabularyLabels(dir: string = path.join(REFERENCE_DATA_DIR, 'vocabularies')): VocabularyLabels {
  const key = path.resolve(dir);
  const cached = cache.get(key);
  if (cached) return cached;
  const terms = new Map<string, Map<string, { es: string; en: string }>>();
  for (const name of LABELLED_VOCABULARIES) {
    const file = path.join(key, `${name}.json`);
    const parsed = labelFileSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
    terms.set(name, new Map(parsed.terms.map((t) => [t.code, t.label])));
  }
  const labels: VocabularyLabels = {
    has: (vocabulary, code) => terms.get(vocabulary)?.has(code) ?? false,
    label: (vocabulary, code, language) => terms.get(vocabulary)?.get(code)?.[language] ?? code,
  };
  cache.set(key, labels);
  return labels;
}
