/**
 * Small-number protection for public figures (DOMAIN.md §8): no published count may be small enough to
 * point at a shelter or a person. A count from 1 to threshold − 1 is hidden and shown as "<3" (primary
 * suppression). When a table's cells add up to a total that is shown, hiding one cell is not enough — the
 * total minus the others gives it back — so further cells are hidden (complementary suppression, shown
 * as "—") until no hidden cell can be worked out from the total and the visible cells. Zero is shown:
 * it points at no one.
 */

export type Suppression = 'small' | 'complementary' | null;

/** A figure as it may be published. `count` is null when hidden. */
export interface PublicFigure {
  count: number | null;
  suppressed: Suppression;
  /** What to print: the number, "<3" or "—". */
  display: string;
}

export function shown(count: number): PublicFigure {
  return { count, suppressed: null, display: String(count) };
}

export function smallLabel(threshold: number): string {
  return `<${threshold}`;
}

export const COMPLEMENTARY_LABEL = '—';

/** One figure on its own: hidden when under the threshold. */
export function protectFigure(count: number, threshold: number): PublicFigure {
  if (count > 0 && count < threshold) return { count: null, suppressed: 'small', display: smallLabel(threshold) };
  return shown(count);
}

/**
 * Whether some hidden cell's value follows from the total and what is visible. A reader knows that a
 * "<3" cell is between 1 and threshold − 1, that a "—" cell is at least the threshold, and the sum of
 * the hidden cells (total minus the visible ones). A cell is safe when at least two values fit.
 */
export function hiddenCellDetermined(hidden: readonly Exclude<Suppression, null>[], hiddenSum: number, threshold: number): boolean {
  if (hidden.length === 0) return false;
  const low = (s: Exclude<Suppression, null>) => (s === 'small' ? 1 : threshold);
  const high = (s: Exclude<Suppression, null>) => (s === 'small' ? threshold - 1 : Number.POSITIVE_INFINITY);
  return hidden.some((s, i) => {
    const others = hidden.filter((_, j) => j !== i);
    const othersLow = others.reduce((sum, o) => sum + low(o), 0);
    const othersHigh = others.reduce((sum, o) => sum + high(o), 0);
    const least = Math.max(low(s), hiddenSum - othersHigh);
    const most = Math.min(high(s), hiddenSum - othersLow);
    return most - least < 1;
  });
}

/**
 * Protects a table whose cells add up to `total`. The total itself follows `protectFigure`; when it is
 * shown, complementary suppression hides the smallest visible non-zero cells, one by one, until no hidden
 * cell can be derived (and, if even every cell hidden would not do, hides the total too).
 */
export function protectPartition<K>(
  cells: readonly { key: K; count: number }[],
  threshold: number,
  total?: number,
): { cells: { key: K; figure: PublicFigure }[]; total: PublicFigure } {
  const sum = total ?? cells.reduce((s, c) => s + c.count, 0);
  const figures = cells.map((c) => ({ key: c.key, count: c.count, figure: protectFigure(c.count, threshold) }));
  let totalFigure = protectFigure(sum, threshold);
  if (totalFigure.suppressed === null) {
    for (;;) {
      const hidden = figures.filter((f) => f.figure.suppressed !== null);
      const hiddenSum = hidden.reduce((s, f) => s + f.count, 0);
      if (!hiddenCellDetermined(hidden.map((f) => f.figure.suppressed!), hiddenSum, threshold)) break;
      const next = figures.filter((f) => f.figure.suppressed === null && f.count > 0).sort((a, b) => a.count - b.count)[0];
      if (!next) {
        totalFigure = { count: null, suppressed: 'complementary', display: COMPLEMENTARY_LABEL };
        break;
      }
      next.figure = { count: null, suppressed: 'complementary', display: COMPLEMENTARY_LABEL };
    }
  }
  return { cells: figures.map(({ key, figure }) => ({ key, figure })), total: totalFigure };
}
