import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importMappingSchema, normalizeKey, parseDate } from './mapping.js';

describe('import mapping', () => {
  it('accepts the documented example (docs/import-mapping.example.json)', () => {
    const file = path.resolve(import.meta.dirname, '../../../docs/import-mapping.example.json');
    const result = importMappingSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    expect(result.success, JSON.stringify(result.error?.issues)).toBe(true);
  });

  it('reads dates as their format says, and refuses days that do not exist', () => {
    expect(parseDate('27/06/2019', 'DD/MM/YYYY')).toEqual({ date: '2019-06-27', hasDay: true });
    expect(parseDate('2019-06-27', 'YYYY-MM-DD')).toEqual({ date: '2019-06-27', hasDay: true });
    expect(parseDate('7/6/2019', 'D/M/YYYY')).toEqual({ date: '2019-06-07', hasDay: true });
    expect(parseDate('06/2019', 'MM/YYYY')).toEqual({ date: '2019-06-01', hasDay: false });
    expect(parseDate('29/02/2021', 'DD/MM/YYYY')).toBeNull();
    expect(parseDate('2019-06-27', 'DD/MM/YYYY')).toBeNull();
  });

  it('compares names without accents or case', () => {
    expect(normalizeKey('  Policía  Municipal ')).toBe(normalizeKey('policia municipal'));
    expect(normalizeKey('Michoacán de Ocampo')).toBe('michoacan de ocampo');
  });

  it('refuses a date format without a year and month', () => {
    const result = importMappingSchema.safeParse({ version: 1, title: { column: 'T' }, startDate: { column: 'F', format: 'DD' }, state: { column: 'E' }, acts: { column: 'A' } });
    expect(result.success).toBe(false);
  });
});
