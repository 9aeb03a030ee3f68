import { z } from 'zod';
import type { Cell, PublicStatistics } from '../commands/read-public-statistics.js';
import type { PublicFigure } from '../domain/small-numbers.js';

/**
 * How public statistics leave the server: every figure with its suppression (a hidden figure has no
 * count at all, only what to print), every key with its label in the asked language.
 */

export const figureSchema = z.object({
  count: z.number().int().nullable().describe('null when hidden'),
  suppressed: z.enum(['small', 'complementary']).nullable().describe('small: under the threshold; complementary: hidden so that a total cannot give a small figure away'),
  display: z.string().describe('what to print: the number, "<3" or "—"'),
});

export const cellSchema = z.object({ key: z.string(), label: z.string() }).extend(figureSchema.shape);

export const statisticsSchema = z.object({
  threshold: z.number().int(),
  period: z.object({ from: z.string(), to: z.string() }).nullable(),
  total: figureSchema,
  byState: z.array(cellSchema),
  byMonth: z.array(cellSchema),
  byActType: z.array(cellSchema),
  byPerpetratorType: z.array(cellSchema),
  byPlaceType: z.array(cellSchema),
});

/** Labels for the keys of each table (states, vocabularies, municipalities). */
export type Labels = (key: string) => string;

export function presentFigure(figure: PublicFigure): z.infer<typeof figureSchema> {
  return { count: figure.count, suppressed: figure.suppressed, display: figure.display };
}

export function presentCells(cells: readonly Cell[], label: Labels): z.infer<typeof cellSchema>[] {
  return cells.map((c) => ({ key: c.key, label: label(c.key), ...presentFigure(c.figure) }));
}

export function presentStatistics(
  stats: PublicStatistics,
  labels: { state: Labels; act: Labels; perpetrator: Labels; place: Labels; month: Labels },
): z.infer<typeof statisticsSchema> {
  return {
    threshold: stats.threshold,
    period: stats.period,
    total: presentFigure(stats.total),
    byState: presentCells(stats.byState, labels.state),
    byMonth: presentCells(stats.byMonth, labels.month),
    byActType: presentCells(stats.byActType, labels.act),
    byPerpetratorType: presentCells(stats.byPerpetratorType, labels.perpetrator),
    byPlaceType: presentCells(stats.byPlaceType, labels.place),
  };
}
