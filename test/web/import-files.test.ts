import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { problemsCsv } from '../../src/domain/csv.js';
import { mappingProblems, readMapping } from '../../src/web/features/import-export/import-files.js';

describe('the import page’s files', () => {
  it('reads a mapping file, saying why one cannot be sent', () => {
    expect(readMapping('\uFEFF{"version":1}')).toEqual({ ok: true, mapping: { version: 1 } });
    const broken = readMapping('{"version": 1,');
    expect(broken).toMatchObject({ ok: false, problem: 'notJson' });
    expect((broken as { reason: string }).reason).not.toBe('');
    expect(readMapping('[{"version":1}]')).toEqual({ ok: false, problem: 'notObject' });
    expect(readMapping('null')).toEqual({ ok: false, problem: 'notObject' });
  });

  it('names what the server refused in the mapping as the mapping names it, and nothing else', () => {
    expect(
      mappingProblems([
        { field: 'mapping.startDate.format', message: 'uses an unknown token' },
        { field: 'mapping', message: 'Invalid input' },
        { field: 'csv', message: 'must hold the CSV file, header first' },
      ]),
    ).toEqual(['startDate.format: uses an unknown token', 'Invalid input']);
  });

  it('writes the problems as the command line’s report, quoted and with formulas neutralised', () => {
    const text = problemsCsv([
      { row: 3, column: 'Fecha', problem: '"31/02/2020" is not a date written DD/MM/YYYY' },
      { row: 4, column: '', problem: 'has 3 cells where the header has 7' },
      { row: 5, column: 'Título', problem: '=HYPERLINK("x") is not a title' },
    ]);
    expect(parse(text, { columns: true })).toEqual([
      { row: '3', column: 'Fecha', problem: '"31/02/2020" is not a date written DD/MM/YYYY' },
      { row: '4', column: '', problem: 'has 3 cells where the header has 7' },
      { row: '5', column: 'Título', problem: `'=HYPERLINK("x") is not a title` },
    ]);
  });
});
