import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, describeEachEngine, TEST_ENGINES, type TestDatabase } from '../../test/db.js';
import { BUILTIN_VOCABULARIES } from '../domain/vocabularies.js';
import { REFERENCE_DATA_DIR } from '../server/paths.js';
import { migrate } from './migrate.js';
import { loadReferenceData, ReferenceDataError, vocabularyDatasetName } from './reference-data.js';

const ALL_DATASETS = ['states', 'municipalities', ...BUILTIN_VOCABULARIES.map(vocabularyDatasetName), 'alert-rules'];

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A copy of the shipped reference data that a test may edit. */
function copyOfReferenceData(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigia-reference-'));
  tempDirs.push(dir);
  fs.cpSync(REFERENCE_DATA_DIR, dir, { recursive: true, filter: (src) => !src.includes('huridocs-thesauri') });
  return dir;
}

function editJson(file: string, edit: (value: Record<string, any>) => void): void {
  const value = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, any>;
  edit(value);
  fs.writeFileSync(file, JSON.stringify(value, null, 2));
}

function editLines(file: string, edit: (lines: string[]) => string[]): void {
  fs.writeFileSync(file, edit(fs.readFileSync(file, 'utf8').split('\n')).join('\n'));
}

describeEachEngine('reference data', (getDatabase) => {
  it('is loaded into a prepared database: 32 states with outlines, the 2025-10 catalogue, every vocabulary', async () => {
    const { db } = getDatabase();
    const states = await db.selectFrom('ref_states').selectAll().orderBy('code').execute();
    expect(states).toHaveLength(32);
    expect(states.every((s) => s.geometry !== null)).toBe(true);
    expect(states.find((s) => s.code === '07')).toMatchObject({ name: 'Chiapas', iso_3166_2: 'MX-CHP', abbreviation: 'Chis.' });
    expect(states.find((s) => s.code === '05')).toMatchObject({ name: 'Coahuila', official_name: 'Coahuila de Zaragoza' });
    expect((states.find((s) => s.code === '09')!.geometry as { type: string }).type).toBe('Polygon');

    const municipalities = await db.selectFrom('ref_municipalities').selectAll().execute();
    expect(municipalities).toHaveLength(2478);
    expect(municipalities.every((m) => m.catalogue_version === '2025-10' && m.retired_in === null)).toBe(true);
    const byCvegeo = new Map(municipalities.map((m) => [m.cvegeo, m]));
    expect(byCvegeo.get('07089')).toMatchObject({ state_code: '07', code: '089', name: 'Tapachula', seat_name: 'Tapachula de Córdova y Ordóñez' });
    expect(byCvegeo.get('07089')!.lat).toBeCloseTo(14.9, 0);
    // The one name with a comma survives the CSV intact.
    expect(byCvegeo.get('20549')!.name).toBe('Heroica Villa Tezoatlán de Segura y Luna, Cuna de la Independencia de Oaxaca');
    expect(byCvegeo.get('12083')).toMatchObject({ name: 'Ñuu Savi', lat: null, lon: null, population_2020: null });
    expect(byCvegeo.get('09015')).toMatchObject({ name: 'Cuauhtémoc', seat_name: null });

    const vocabularies = await db.selectFrom('vocabularies').select('name').execute();
    expect(vocabularies.map((v) => v.name).sort()).toEqual([...BUILTIN_VOCABULARIES].sort());
    const harassment = await db
      .selectFrom('vocabulary_terms')
      .selectAll()
      .where('vocabulary', '=', 'act_types')
      .where('code', '=', 'HARASSMENT')
      .executeTakeFirstOrThrow();
    expect(harassment).toMatchObject({ label_es: 'Hostigamiento', huridocs_code: '020103', origin: 'builtin', active: true });

    const datasets = await db.selectFrom('ref_datasets').selectAll().execute();
    expect(datasets.map((d) => d.name).sort()).toEqual([...ALL_DATASETS].sort());
    for (const dataset of datasets) {
      expect(dataset.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(dataset.version).not.toBe('');
      expect(dataset.licence).not.toBe('');
    }
    expect(datasets.find((d) => d.name === 'municipalities')!.version).toBe('2025-10');
  });

  it('skips every dataset on a second load and changes nothing', async () => {
    const database = getDatabase();
    const before = await database.db.selectFrom('ref_datasets').selectAll().orderBy('name').execute();
    const result = await loadReferenceData(database);
    expect(result.loaded).toEqual([]);
    expect(result.skipped.sort()).toEqual([...ALL_DATASETS].sort());
    const after = await database.db.selectFrom('ref_datasets').selectAll().orderBy('name').execute();
    expect(after).toEqual(before);
  });

  it('refreshes a changed vocabulary, retires dropped built-in terms and never touches local terms', async () => {
    const database = getDatabase();
    const { db } = database;
    await db
      .insertInto('vocabulary_terms')
      .values([
        { vocabulary: 'act_types', code: 'LOCAL_BLOCKADE', label_es: 'Bloqueo local', label_en: 'Local blockade', origin: 'local' },
        { vocabulary: 'act_types', code: 'EXTORTION', label_es: 'Extorsión (local)', label_en: 'Extortion (local)', origin: 'local', sort_order: 5 },
      ])
      .execute();

    const dir = copyOfReferenceData();
    editJson(path.join(dir, 'vocabularies', 'act_types.json'), (file) => {
      file.version = 'test-2';
      file.terms = file.terms.filter((t: { code: string }) => t.code !== 'THEFT');
      file.terms[0].label.es = 'Hostigamiento (corregido)';
      // A release that ships a code an administrator already created must not overwrite theirs.
      file.terms.push({ code: 'EXTORTION', label: { es: 'Extorsión', en: 'Extortion' }, huridocsCode: null });
    });
    const result = await loadReferenceData(database, dir);
    expect(result.loaded).toEqual(['vocabulary.act_types']);

    const terms = await db.selectFrom('vocabulary_terms').selectAll().where('vocabulary', '=', 'act_types').execute();
    const byCode = new Map(terms.map((t) => [t.code, t]));
    expect(byCode.get('HARASSMENT')!.label_es).toBe('Hostigamiento (corregido)');
    expect(byCode.get('THEFT')).toMatchObject({ active: false, origin: 'builtin' });
    expect(byCode.get('LOCAL_BLOCKADE')).toMatchObject({ label_es: 'Bloqueo local', origin: 'local', active: true });
    expect(byCode.get('EXTORTION')).toMatchObject({ label_es: 'Extorsión (local)', origin: 'local', sort_order: 5 });
    const dataset = await db.selectFrom('ref_datasets').selectAll().where('name', '=', 'vocabulary.act_types').executeTakeFirstOrThrow();
    expect(dataset.version).toBe('test-2');

    // Back to the shipped files: the term returns, the local ones stay as they were.
    const back = await loadReferenceData(database);
    expect(back.loaded).toEqual(['vocabulary.act_types']);
    const restored = await db.selectFrom('vocabulary_terms').selectAll().where('vocabulary', '=', 'act_types').execute();
    const restoredByCode = new Map(restored.map((t) => [t.code, t]));
    expect(restoredByCode.get('THEFT')!.active).toBe(true);
    expect(restoredByCode.get('HARASSMENT')!.label_es).toBe('Hostigamiento');
    expect(restoredByCode.get('LOCAL_BLOCKADE')).toMatchObject({ label_es: 'Bloqueo local', active: true });
    expect(restoredByCode.get('EXTORTION')).toMatchObject({ label_es: 'Extorsión (local)', active: true });
  });

  it('marks municipalities missing from a newer catalogue as retired instead of deleting them', async () => {
    const database = getDatabase();
    const { db } = database;
    const dir = copyOfReferenceData();
    editJson(path.join(dir, 'datasets.json'), (manifest) => {
      manifest.municipalities.version = '2026-04';
    });
    editLines(path.join(dir, 'mx-municipalities.csv'), (lines) => lines.filter((line) => !line.startsWith('07,089,')));

    const result = await loadReferenceData(database, dir);
    expect(result.loaded).toEqual(['municipalities']);
    expect(await db.selectFrom('ref_municipalities').select('cvegeo').execute()).toHaveLength(2478);
    const tapachula = await db.selectFrom('ref_municipalities').selectAll().where('cvegeo', '=', '07089').executeTakeFirstOrThrow();
    expect(tapachula).toMatchObject({ name: 'Tapachula', catalogue_version: '2025-10', retired_in: '2026-04' });
    const current = await db
      .selectFrom('ref_municipalities')
      .select('cvegeo')
      .where('catalogue_version', '=', '2026-04')
      .where('retired_in', 'is', null)
      .execute();
    expect(current).toHaveLength(2477);

    // A catalogue that lists it again brings it back.
    expect((await loadReferenceData(database)).loaded).toEqual(['municipalities']);
    const again = await db.selectFrom('ref_municipalities').selectAll().where('cvegeo', '=', '07089').executeTakeFirstOrThrow();
    expect(again).toMatchObject({ catalogue_version: '2025-10', retired_in: null });
  });

  it('rejects a bad file with an error naming the file and the row, and writes nothing', async () => {
    const database = getDatabase();
    const before = await database.db.selectFrom('ref_datasets').selectAll().orderBy('name').execute();

    const csvDir = copyOfReferenceData();
    // A valid change elsewhere must not be loaded either: every changed dataset is checked first.
    editJson(path.join(csvDir, 'vocabularies', 'place_types.json'), (file) => {
      file.version = 'should-not-load';
    });
    editLines(path.join(csvDir, 'mx-municipalities.csv'), (lines) =>
      lines.map((line) => (line.startsWith('07,089,') ? line.replace('14.9', 'north') : line)),
    );
    const csvError = await loadReferenceData(database, csvDir).catch((e: unknown) => e);
    expect(csvError).toBeInstanceOf(ReferenceDataError);
    expect((csvError as Error).message).toMatch(/^mx-municipalities\.csv: line \d+ \(cvegeo 07089\): lat: /);

    const vocabularyDir = copyOfReferenceData();
    editJson(path.join(vocabularyDir, 'vocabularies', 'act_types.json'), (file) => {
      file.terms[3].code = 'threat';
      file.terms[5].label.en = '';
    });
    await expect(loadReferenceData(database, vocabularyDir)).rejects.toThrow(
      /^vocabularies\/act_types\.json: term #4 \(threat\) code: must be UPPER_SNAKE_CASE; term #6 \(DEATH_THREAT\) label\.en: /,
    );

    const statesDir = copyOfReferenceData();
    editJson(path.join(statesDir, 'states.json'), (file) => {
      file.states[6].name = 'Chiapaz';
    });
    await expect(loadReferenceData(database, statesDir)).rejects.toThrow(
      /^mx-states\.geojson: feature #7 \(CVE_ENT 07\): .*disagree with states\.json/,
    );

    const missingDir = copyOfReferenceData();
    fs.rmSync(path.join(missingDir, 'vocabularies', 'addressees.json'));
    await expect(loadReferenceData(database, missingDir)).rejects.toThrow(/built-in vocabulary file\(s\) missing: addressees\.json/);

    const after = await database.db.selectFrom('ref_datasets').selectAll().orderBy('name').execute();
    expect(after).toEqual(before);
  });

  it('loads a changed dataset once when two processes load at the same time', async () => {
    const database = getDatabase();
    const dir = copyOfReferenceData();
    editJson(path.join(dir, 'vocabularies', 'addressees.json'), (file) => {
      file.version = 'concurrent';
    });
    const [a, b] = await Promise.all([loadReferenceData(database, dir), loadReferenceData(database, dir)]);
    expect([...a.loaded, ...b.loaded]).toEqual(['vocabulary.addressees']);
    expect([...a.skipped, ...b.skipped].filter((n) => n === 'vocabulary.addressees')).toHaveLength(1);
    await loadReferenceData(database);
  });
});

for (const engine of TEST_ENGINES) {
  describe(`reference data on an empty database [${engine}]`, () => {
    let database: TestDatabase | undefined;
    afterAll(async () => {
      await database?.dispose();
    });

    // How long it takes is a benchmark's business, not a test's: this machine is shared and noisy.
    it('loads every dataset into an empty migrated database', { timeout: 120_000 }, async () => {
      database = await createTestDatabase(engine, { prepared: false });
      await migrate(database);
      const result = await loadReferenceData(database);
      expect(result.loaded.slice(0, 2)).toEqual(['states', 'municipalities']);
      expect([...result.loaded].sort()).toEqual([...ALL_DATASETS].sort());
      expect(result.skipped).toEqual([]);
    });
  });
}
