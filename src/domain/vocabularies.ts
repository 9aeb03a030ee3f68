/**
 * The controlled vocabularies every Vigía installation has. Records refer to them by these names, so
 * the reference-data loader refuses a data folder that lacks one of them. Their terms live in
 * `data/reference/vocabularies/<name>.json`; administrators may add local terms to them.
 */
export const BUILTIN_VOCABULARIES = [
  'act_types',
  'perpetrator_types',
  'victim_characteristics',
  'place_types',
  'source_types',
  'source_connections',
  'source_reliability',
  'involvement_degrees',
  'intervention_types',
  'intervention_statuses',
  'addressees',
] as const;

/** The name of one built-in vocabulary, so code that picks a vocabulary cannot misspell it. */
export type BuiltinVocabulary = (typeof BUILTIN_VOCABULARIES)[number];

/** Vocabulary names as the database's check constraint allows them (lower case, digits, underscores). */
export const VOCABULARY_NAME_PATTERN = /^[a-z][a-z0-9_]*$/;

/** Term codes as the database's check constraint allows them: stable UPPER_SNAKE_CASE. */
export const TERM_CODE_PATTERN = /^[A-Z][A-Z0-9_]*$/;

/**
 * A HURIDOCS micro-thesaurus code as the Events Standard Formats print it: the 12-digit `huri_code`
 * without its trailing "00" pairs ("020103" for 020103000000). Requiring the short form keeps one
 * spelling per term.
 */
export const HURIDOCS_CODE_PATTERN = /^(?:\d{2}){0,5}(?:0[1-9]|[1-9]\d)$/;

/**
 * The OpenEvSys `vocab_number` of a HURIDOCS term: the 12-digit code followed by the 2-digit list
 * number. A short code alone is ambiguous (lists share codes); with its list it names one term.
 */
export function huridocsVocabNumber(list: number, code: string): string {
  return code.padEnd(12, '0') + String(list).padStart(2, '0');
}
