import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { readTriageLexicon } from '../../db/triage-lexicon.js';
import { REFERENCE_DATA_DIR } from '../../server/paths.js';
import { fold } from './normalize.js';
import { buildGazetteer, type GazetteerMunicipality, type GazetteerState } from './gazetteer.js';
import { TRIGGER_CATEGORIES } from './lexicon.js';
import { suggestFromText } from './suggestions.js';

const lexicon = readTriageLexicon();
const { states } = JSON.parse(fs.readFileSync(path.join(REFERENCE_DATA_DIR, 'states.json'), 'utf8')) as {
  states: GazetteerState[];
};
const rows = parseCsv(fs.readFileSync(path.join(REFERENCE_DATA_DIR, 'mx-municipalities.csv')), {
  columns: true,
}) as { cvegeo: string; state_code: string; municipality_name: string }[];
const municipalities: GazetteerMunicipality[] = rows.map((row) => ({
  cvegeo: row.cvegeo,
  stateCode: row.state_code,
  name: row.municipality_name,
}));
const gazetteer = buildGazetteer({ states, municipalities }, lexicon);

const VOCABULARY_FILES = { perpetratorTypes: 'perpetrator_types', actTypes: 'act_types', placeTypes: 'place_types' };

describe('the shipped lexicon against the shipped reference data', () => {
  it.each(TRIGGER_CATEGORIES)('uses only codes of the %s vocabulary', (category) => {
    const file = path.join(REFERENCE_DATA_DIR, 'vocabularies', `${VOCABULARY_FILES[category]}.json`);
    const vocabulary = JSON.parse(fs.readFileSync(file, 'utf8')) as { terms: { code: string }[] };
    const known = vocabulary.terms.map((term) => term.code);
    expect(Object.keys(lexicon.triggers[category]).filter((code) => !known.includes(code))).toEqual([]);
  });

  it('names only real municipalities among those needing a marker and in aliases', () => {
    const names = new Set(municipalities.map((municipality) => fold(municipality.name)));
    expect(lexicon.places.markerRequired.filter((name) => !names.has(fold(name)))).toEqual([]);
    const cvegeos = new Set(municipalities.map((municipality) => municipality.cvegeo));
    expect(lexicon.places.municipalityAliases.filter((alias) => !cvegeos.has(alias.cvegeo))).toEqual([]);
  });
});

describe('suggestFromText with the whole INEGI catalogue', () => {
  it.each([
    ['La Guardia Nacional llegó al albergue de Agua Prieta, Sonora.', '26002'],
    ['Casa del Migrante de Saltillo, Coahuila', '05030'],
    ['Albergues de Tijuana, Baja California', '02004'],
    ['en San Cristóbal de las Casas, Chiapas', '07078'],
    ['en Tapachula', '07089'],
    ['en Ciudad Juárez', '08037'],
    ['en Progreso, Yucatán', '31059'],
  ])('finds the municipality in "%s"', (text, cvegeo) => {
    const result = suggestFromText(text, gazetteer);
    expect(result.municipalities[0]?.code).toBe(cvegeo);
  });

  it('finds none of the common words that are also municipality names', () => {
    const text =
      'el progreso de las obras; la reforma educativa; una victoria; libres de culpa; en el centro; ' +
      'las casas de madera; la paz; el altar; la mina; una isla; vimos un venado en el rodeo.';
    expect(suggestFromText(text, gazetteer).municipalities).toEqual([]);
  });

  it('matches a 2,000-character report well within the time a form can wait', () => {
    const paragraph =
      'El 12 de julio de 2019, elementos de la Guardia Nacional y agentes del INM intentaron ingresar al ' +
      'albergue en Agua Prieta, Sonora; preguntaron por las personas albergadas y los donantes y nos ' +
      'filmaron. Días después la Policía Federal quiso hacer una revisión migratoria en la Casa del ' +
      'Migrante de Saltillo, Coahuila, y en Tijuana patrullaban afuera de los albergues. ';
    const text = paragraph.repeat(Math.ceil(2000 / paragraph.length)).slice(0, 2000);
    suggestFromText(text, gazetteer);
    const runs = 20;
    const started = performance.now();
    for (let run = 0; run < runs; run += 1) suggestFromText(text, gazetteer);
    const perText = (performance.now() - started) / runs;
    // The target is under 5 ms; the bound is generous because test machines are noisy.
    expect(perText).toBeLessThan(50);
  });
});
