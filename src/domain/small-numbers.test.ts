import { describe, expect, it } from 'vitest';
import { hiddenCellDetermined, protectFigure, protectPartition } from './small-numbers.js';

const T = 3;
const displays = (cells: number[], total?: number) => {
  const r = protectPartition(cells.map((count, key) => ({ key, count })), T, total);
  return { cells: r.cells.map((c) => c.figure.display), total: r.total.display };
};

describe('small-number protection', () => {
  it('hides a figure from 1 to threshold − 1, shows zero and the threshold', () => {
    expect([0, 1, 2, 3, 40].map((n) => protectFigure(n, T).display)).toEqual(['0', '<3', '<3', '3', '40']);
    expect(protectFigure(2, T)).toEqual({ count: null, suppressed: 'small', display: '<3' });
    expect(protectFigure(2, 5).display).toBe('<5');
  });

  it('leaves a table with nothing small as it is', () => {
    expect(displays([5, 3, 0, 9])).toEqual({ cells: ['5', '3', '0', '9'], total: '17' });
  });

  it('hides a second cell when one hidden cell could be read off the total', () => {
    // 10 − 5 − 4 would give the 1 back.
    expect(displays([5, 1, 4])).toEqual({ cells: ['5', '<3', '—'], total: '10' });
  });

  it('keeps hiding while the hidden cells can still be worked out', () => {
    // Two "<3" cells adding to 2 can only be 1 and 1: a third cell is hidden.
    expect(displays([1, 1, 7, 9])).toEqual({ cells: ['<3', '<3', '—', '9'], total: '18' });
    // "<3" and "—" adding to 4 can only be 1 and 3: one more.
    expect(displays([1, 3, 8])).toEqual({ cells: ['<3', '—', '—'], total: '12' });
  });

  it('accepts two small cells whose sum leaves a choice', () => {
    // 1+2 or 2+1.
    expect(displays([1, 2, 6])).toEqual({ cells: ['<3', '<3', '6'], total: '9' });
  });

  it('hides the total when nothing else would protect the hidden cell', () => {
    expect(displays([1, 0, 3])).toEqual({ cells: ['<3', '0', '—'], total: '—' });
    expect(displays([2])).toEqual({ cells: ['<3'], total: '<3' });
  });

  it('never leaves a hidden cell derivable from the total', () => {
    for (let seed = 1; seed < 400; seed++) {
      const cells = Array.from({ length: 1 + (seed % 6) }, (_, i) => (seed * (i + 7) * 31) % 9);
      const r = protectPartition(cells.map((count, key) => ({ key, count })), T);
      if (r.total.suppressed !== null) continue;
      const hidden = r.cells.filter((c) => c.figure.suppressed !== null);
      const hiddenSum = hidden.reduce((s, c) => s + cells[c.key]!, 0);
      expect(hiddenCellDetermined(hidden.map((c) => c.figure.suppressed!), hiddenSum, T)).toBe(false);
      for (const c of r.cells) if (c.figure.suppressed === null) expect(c.figure.count === 0 || c.figure.count! >= T).toBe(true);
    }
  });
});
