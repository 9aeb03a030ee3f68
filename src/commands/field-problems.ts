import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { databaseCodeLookup, type CodeLookup } from '../db/repositories/vocabulary-check.js';
import { AppError } from '../server/errors.js';

/** One thing wrong with a field of a request body, in the shape the schema validation errors use. */
export interface FieldProblem {
  location: 'body';
  field: string;
  message: string;
}

/** Codes to check, each with the field it came from. */
export type CodeUse = { field: string; vocabulary: string; code: string };

/**
 * Checks every vocabulary code and the state/municipality a request names against the database, and
 * throws one 400 naming every field that is wrong, the same way schema validation does.
 */
export async function assertKnownCodes(
  db: Kysely<DB> | CodeLookup,
  uses: readonly CodeUse[],
  place?: { stateCode: string | null; municipalityCode: string | null; field: string },
): Promise<void> {
  throwIfProblems(await knownCodeProblems(db, uses, place));
}

/** What `assertKnownCodes` would refuse, as a list (an import reports them per row instead of throwing). */
export async function knownCodeProblems(
  source: Kysely<DB> | CodeLookup,
  uses: readonly CodeUse[],
  place?: { stateCode: string | null; municipalityCode: string | null; field: string },
): Promise<FieldProblem[]> {
  const lookup = 'selectFrom' in source ? databaseCodeLookup(source) : source;
  const problems: FieldProblem[] = [];
  const byVocabulary: Record<string, Set<string>> = {};
  for (const use of uses) (byVocabulary[use.vocabulary] ??= new Set()).add(use.code);
  const unknown = new Set((await lookup.unknownVocabularyCodes(byVocabulary)).map((u) => `${u.vocabulary}:${u.code}`));
  for (const use of uses) {
    if (unknown.has(`${use.vocabulary}:${use.code}`)) {
      problems.push({ location: 'body', field: use.field, message: `"${use.code}" is not a term of the ${use.vocabulary} vocabulary` });
    }
  }
  if (place?.stateCode) {
    if (!(await lookup.stateExists(place.stateCode))) problems.push({ location: 'body', field: `${place.field}.stateCode`, message: `"${place.stateCode}" is not an INEGI state code` });
    else if (place.municipalityCode && !(await lookup.municipalityInState(place.stateCode, place.municipalityCode))) {
      problems.push({
        location: 'body',
        field: `${place.field}.municipalityCode`,
        message: `"${place.municipalityCode}" is not a municipality of state ${place.stateCode}`,
      });
    }
  }
  return problems;
}

/** Throws one 400 listing every problem, in the shape schema validation uses; does nothing for none. */
export function throwIfProblems(problems: readonly FieldProblem[]): void {
  if (problems.length > 0) {
    throw new AppError('VALIDATION_FAILED', `Invalid body: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`, problems);
  }
}
