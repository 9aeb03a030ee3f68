import type { Kysely } from 'kysely';
import type { DB } from '../schema.js';

/** A code that names no active term of its vocabulary, with where it was used. */
export interface UnknownCode {
  vocabulary: string;
  code: string;
}

/**
 * Which of the given codes are not active terms of their vocabularies, in one query. Callers turn the
 * answer into a 400 naming each field, so a typo is refused instead of stored.
 */
export async function unknownVocabularyCodes(db: Kysely<DB>, codes: Record<string, Iterable<string>>): Promise<UnknownCode[]> {
  const wanted: UnknownCode[] = Object.entries(codes).flatMap(([vocabulary, set]) => [...set].map((code) => ({ vocabulary, code })));
  if (wanted.length === 0) return [];
  const vocabularies = [...new Set(wanted.map((w) => w.vocabulary))];
  const rows = await db
    .selectFrom('vocabulary_terms')
    .select(['vocabulary', 'code'])
    .where('vocabulary', 'in', vocabularies)
    .where('active', '=', true)
    .where('code', 'in', [...new Set(wanted.map((w) => w.code))])
    .execute();
  const known = new Set(rows.map((r) => `${r.vocabulary}:${r.code}`));
  return wanted.filter((w) => !known.has(`${w.vocabulary}:${w.code}`));
}

/** Whether a municipality code exists in a state (retired ones included: old records name them). */
export async function municipalityInState(db: Kysely<DB>, stateCode: string, cvegeo: string): Promise<boolean> {
  const row = await db
    .selectFrom('ref_municipalities')
    .select('cvegeo')
    .where('cvegeo', '=', cvegeo)
    .where('state_code', '=', stateCode)
    .executeTakeFirst();
  return row !== undefined;
}
