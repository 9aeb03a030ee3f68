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

/** The three questions a code check asks of the reference data. */
export interface CodeLookup {
  unknownVocabularyCodes(codes: Record<string, Iterable<string>>): Promise<UnknownCode[]>;
  stateExists(stateCode: string): Promise<boolean>;
  municipalityInState(stateCode: string, cvegeo: string): Promise<boolean>;
}

/**
 * A `CodeLookup` that reads the reference data once and answers from memory: for checks on hot paths
 * (anonymous intake). Reference data is loaded when a server starts and does not change while it runs
 * (src/server/cached-json.ts relies on the same), so what it read stays true for the server's life.
 */
export function cachedCodeLookup(db: Kysely<DB>): CodeLookup {
  let terms: Promise<Set<string>> | undefined;
  let places: Promise<Map<string, Set<string>>> | undefined;
  const readTerms = () =>
    (terms ??= db
      .selectFrom('vocabulary_terms')
      .select(['vocabulary', 'code'])
      .where('active', '=', true)
      .execute()
      .then((rows) => new Set(rows.map((r) => `${r.vocabulary}:${r.code}`))));
  const readPlaces = () =>
    (places ??= Promise.all([
      db.selectFrom('ref_states').select('code').execute(),
      db.selectFrom('ref_municipalities').select(['state_code', 'cvegeo']).execute(),
    ]).then(([states, municipalities]) => {
      const byState = new Map(states.map((s) => [s.code, new Set<string>()]));
      for (const m of municipalities) byState.get(m.state_code)?.add(m.cvegeo);
      return byState;
    }));
  // A failed read is not kept: the next check reads again.
  const retrying = <T,>(read: () => Promise<T>, forget: () => void) => read().catch((error: unknown) => (forget(), Promise.reject(error)));
  return {
    async unknownVocabularyCodes(codes) {
      const known = await retrying(readTerms, () => (terms = undefined));
      return Object.entries(codes).flatMap(([vocabulary, set]) => [...set].filter((code) => !known.has(`${vocabulary}:${code}`)).map((code) => ({ vocabulary, code })));
    },
    async stateExists(stateCode) {
      return (await retrying(readPlaces, () => (places = undefined))).has(stateCode);
    },
    async municipalityInState(stateCode, cvegeo) {
      return (await retrying(readPlaces, () => (places = undefined))).get(stateCode)?.has(cvegeo) ?? false;
    },
  };
}

/** A `CodeLookup` that asks the database every time (what the record's commands use). */
export function databaseCodeLookup(db: Kysely<DB>): CodeLookup {
  return {
    unknownVocabularyCodes: (codes) => unknownVocabularyCodes(db, codes),
    stateExists: async (stateCode) => (await db.selectFrom('ref_states').select('code').where('code', '=', stateCode).executeTakeFirst()) !== undefined,
    municipalityInState: (stateCode, cvegeo) => municipalityInState(db, stateCode, cvegeo),
  };
}
