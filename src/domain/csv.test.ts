import { describe, expect, it } from 'vitest';
import { csvCells, FORMULAS, RUNS_AS_FORMULA } from '../../test/hostile.js';
import { csvLine, problemsCsv } from './csv.js';

describe('csvLine', () => {
  it('writes every formula payload, untrimmed, as text behind an apostrophe, and parses back cell for cell', () => {
    const cells = csvCells(csvLine(FORMULAS));
    expect(cells.map((c) => c.cell)).toEqual(FORMULAS.map((f) => `'${f}`));
    for (const { cell } of cells) expect(cell).not.toMatch(RUNS_AS_FORMULA);
  });

  it('leaves ordinary text, inner formulas and quotes as they are, quoting only what RFC 4180 needs', () => {
    expect(csvLine(['Agua Prieta', 'a=1+1', 'dice "no"', 'uno, dos'])).toBe('Agua Prieta,a=1+1,"dice ""no""","uno, dos"\r\n');
  });

  it("writes an import's problems with a header, one line each", () => {
    expect(problemsCsv([{ row: 2, column: '@col', problem: 'is empty' }])).toBe("row,column,problem\r\n2,'@col,is empty\r\n");
  });
});
