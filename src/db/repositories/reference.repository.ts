import type { Kysely, Selectable } from 'kysely';
import type { DB, RefMunicipalitiesTable, RefStatesTable, VocabulariesTable, VocabularyTermsTable } from '../schema.js';

/** A state as the API lists it (the outline is fetched separately: it is most of the table's bytes). */
export type StateRow = Omit<Selectable<RefStatesTable>, 'geometry'>;
/** A state outline for maps; `geometry` is the GeoJSON the loader checked and stored. */
export type StateGeometryRow = Pick<Selectable<RefStatesTable>, 'code' | 'name' | 'geometry'>;
/** A municipality as the API lists it. */
export type MunicipalityRow = Omit<Selectable<RefMunicipalitiesTable>, 'population_2020' | 'catalogue_version'>;
/** A vocabulary's name and labels. */
export type VocabularyRow = Selectable<VocabulariesTable>;
/** A vocabulary term as the API lists it. */
export type VocabularyTermRow = Pick<
  Selectable<VocabularyTermsTable>,
  'code' | 'label_es' | 'label_en' | 'description_es' | 'description_en' | 'huridocs_code' | 'parent_code'
>;

// Both engines may use the C collation, which puts "Ángel Albino Corzo" after "Zinacantán"; names are
// ordered here as a Spanish reader expects, the same on every engine.
const spanish = new Intl.Collator('es');

/** The 32 states in INEGI order (by code). */
export function listStates(db: Kysely<DB>): Promise<StateRow[]> {
  return db
    .selectFrom('ref_states')
    .select(['code', 'name', 'official_name', 'abbreviation', 'iso_3166_2'])
    .orderBy('code')
    .execute();
}

/** Every state that has an outline, in INEGI order. */
export function listStateGeometries(db: Kysely<DB>): Promise<StateGeometryRow[]> {
  return db
    .selectFrom('ref_states')
    .select(['code', 'name', 'geometry'])
    .where('geometry', 'is not', null)
    .orderBy('code')
    .execute();
}

/** Whether a state with this INEGI code exists. */
export async function stateExists(db: Kysely<DB>, code: string): Promise<boolean> {
  const row = await db.selectFrom('ref_states').select('code').where('code', '=', code).executeTakeFirst();
  return row !== undefined;
}

/** A state's municipalities in Spanish alphabetical order; retired ones only when asked for. */
export async function listMunicipalities(
  db: Kysely<DB>,
  stateCode: string,
  options: { includeRetired: boolean },
): Promise<MunicipalityRow[]> {
  let query = db
    .selectFrom('ref_municipalities')
    .select(['cvegeo', 'state_code', 'code', 'name', 'seat_name', 'lat', 'lon', 'retired_in'])
    .where('state_code', '=', stateCode);
  if (!options.includeRetired) query = query.where('retired_in', 'is', null);
  const rows = await query.execute();
  return rows.sort((a, b) => spanish.compare(a.name, b.name) || a.cvegeo.localeCompare(b.cvegeo));
}

/** Every vocabulary, by name. */
export function listVocabularies(db: Kysely<DB>): Promise<VocabularyRow[]> {
  return db.selectFrom('vocabularies').selectAll().orderBy('name').execute();
}

/** One vocabulary, or undefined when there is none by that name. */
export function findVocabulary(db: Kysely<DB>, name: string): Promise<VocabularyRow | undefined> {
  return db.selectFrom('vocabularies').selectAll().where('name', '=', name).executeTakeFirst();
}

/** A vocabulary's active terms, built-in and local, in their sort order. */
export function listActiveTerms(db: Kysely<DB>, vocabulary: string): Promise<VocabularyTermRow[]> {
  return db
    .selectFrom('vocabulary_terms')
    .select(['code', 'label_es', 'label_en', 'description_es', 'description_en', 'huridocs_code', 'parent_code'])
    .where('vocabulary', '=', vocabulary)
    .where('active', '=', true)
    .orderBy('sort_order')
    .orderBy('code')
    .execute();
}
