import fs from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { readReferenceData } from '../db/reference-data.js';
import { REFERENCE_DATA_DIR } from '../server/paths.js';
import { BUILTIN_VOCABULARIES, HURIDOCS_CODE_PATTERN, huridocsVocabNumber } from './vocabularies.js';

interface ThesaurusTerm {
  list_code: string;
  vocab_number: string;
  huri_code: string;
  visible: string;
  term_en: string;
  term_es: string;
}

const thesauri: ThesaurusTerm[] = parseCsv(
  fs.readFileSync(path.join(REFERENCE_DATA_DIR, 'huridocs-thesauri', 'micro-thesauri.csv')),
  { columns: true },
);
const byVocabNumber = new Map(thesauri.map((t) => [t.vocab_number, t]));
const data = readReferenceData(REFERENCE_DATA_DIR);

describe('shipped vocabularies', () => {
  it('include every built-in vocabulary', () => {
    expect(data.vocabularies.map((v) => v.file.name).sort()).toEqual([...BUILTIN_VOCABULARIES].sort());
  });

  it('only use HURIDOCS codes that exist, visible, in the micro-thesaurus their vocabulary names', () => {
    const missing: string[] = [];
    let checked = 0;
    for (const { file } of data.vocabularies) {
      for (const term of file.terms) {
        if (term.huridocsCode === null) continue;
        checked++;
        const found = byVocabNumber.get(huridocsVocabNumber(file.huridocsList!, term.huridocsCode));
        if (!found || found.visible !== 'y') missing.push(`${file.name}.${term.code} → MT${file.huridocsList} ${term.huridocsCode}`);
      }
    }
    expect(missing).toEqual([]);
    expect(checked).toBeGreaterThan(50);
  });

  it('keep the act-type codes DOMAIN.md gives', () => {
    const actTypes = data.vocabularies.find((v) => v.file.name === 'act_types')!.file;
    const codes = Object.fromEntries(actTypes.terms.map((t) => [t.code, t.huridocsCode]));
    expect(codes).toMatchObject({
      HARASSMENT: '020103',
      SURVEILLANCE: '02010303',
      THREAT: '02010301',
      DEATH_THREAT: '02010302',
      STIGMATIZATION: '140101',
      ARBITRARY_DETENTION: '030102',
      RAID: '040101',
      OBSTRUCTION: '050105',
      ROUNDUP_NEARBY: '030107',
      PROPERTY_DAMAGE: '130103',
      DEPORTATION: '330101',
      KILLING: '010101',
      DIGITAL_ATTACK: null,
      CRIMINALIZATION: null,
      MIGRATION_CHECK: null,
      INFO_DEMAND: null,
    });
  });

  it('write HURIDOCS codes in one spelling: without trailing "00" pairs', () => {
    expect(HURIDOCS_CODE_PATTERN.test('020103')).toBe(true);
    expect(HURIDOCS_CODE_PATTERN.test('90')).toBe(true);
    expect(HURIDOCS_CODE_PATTERN.test('220903200901')).toBe(true);
    expect(HURIDOCS_CODE_PATTERN.test('02010300')).toBe(false);
    expect(HURIDOCS_CODE_PATTERN.test('020103000000')).toBe(false);
    expect(HURIDOCS_CODE_PATTERN.test('2010')).toBe(true);
    expect(HURIDOCS_CODE_PATTERN.test('201')).toBe(false);
    expect(huridocsVocabNumber(4, '020103')).toBe('02010300000004');
    expect(huridocsVocabNumber(16, '220903200901')).toBe('22090320090116');
  });
});

describe('shipped geography', () => {
  it('pairs every INEGI state code with the right ISO 3166-2 code', () => {
    const iso = Object.fromEntries(data.states.rows.map((s) => [s.code, s.iso3166_2]));
    expect(iso).toMatchObject({
      '01': 'MX-AGU',
      '02': 'MX-BCN',
      '03': 'MX-BCS',
      '04': 'MX-CAM',
      '05': 'MX-COA',
      '06': 'MX-COL',
      '07': 'MX-CHP',
      '08': 'MX-CHH',
      '09': 'MX-CMX',
      '15': 'MX-MEX',
      '19': 'MX-NLE',
      '22': 'MX-QUE',
      '23': 'MX-ROO',
      '24': 'MX-SLP',
      '30': 'MX-VER',
      '32': 'MX-ZAC',
    });
    expect(new Set(Object.values(iso)).size).toBe(32);
  });

  it('has every municipality of the 2025-10 catalogue, each in a known state', () => {
    const rows = data.municipalities.rows;
    expect(rows).toHaveLength(2478);
    const stateCodes = new Set(data.states.rows.map((s) => s.code));
    expect(rows.every((m) => stateCodes.has(m.stateCode))).toBe(true);
    expect(new Set(rows.map((m) => m.stateCode)).size).toBe(32);
    expect(rows.filter((m) => m.lat === null).map((m) => m.cvegeo).sort()).toEqual(['12083', '24059']);
  });
});

describe('data/reference/README.md', () => {
  const readme = fs.readFileSync(path.join(REFERENCE_DATA_DIR, 'README.md'), 'utf8');

  it('keeps the licence notices and the INEGI credit the sources require', () => {
    expect(readme).toContain('Copyright (c) 2023 Montse');
    expect(readme).toContain('Permission is hereby granted, free of charge');
    expect(readme).toContain('Copyright (c) 2025 Luis Fernando Barrera');
    expect(readme).toContain('Copyright (c) 2016 Diego Valle-Jones');
    expect(readme).toContain('Neither the name of the copyright holder nor the names of its');
    expect(readme).toContain(
      'Fuente: INEGI, Marco Geoestadístico / Catálogo Único de Claves de Áreas Geoestadísticas Estatales, ' +
        'Municipales y Localidades (AGEEML).',
    );
    expect(readme).toContain('Copyright (C) 2009 HURIDOCS');
    expect(readme).toContain('AGPL-3.0');
  });
});
