import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Database } from '../../../db/client.js';
import type { DB } from '../../../db/schema.js';
import { readPublicStatistics, readStateMunicipalities } from '../../../commands/read-public-statistics.js';
import { access } from '../../../policies/access.js';
import { cellSchema, figureSchema, presentCells, presentFigure, presentStatistics, statisticsSchema, type Labels } from '../../../presenters/statistics.presenter.js';
import { projectStateMap, type StateMap, type StatesGeoJson } from '../../../domain/state-map.js';
import type { Config } from '../../config.js';
import { REFERENCE_DATA_DIR } from '../../paths.js';
import { AppError } from '../../errors.js';
import { errorResponses, langQuery, type Lang } from '../schemas.js';

const tags = ['statistics'];
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month written YYYY-MM');
const code = z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'must be a vocabulary code such as "GN"');
const stateCode = z.string().regex(/^\d{2}$/, 'must be a two-digit INEGI state code such as "26"');

const periodQuery = langQuery.extend({ from: month.optional(), to: month.optional() });
const filtersQuery = periodQuery.extend({ state: stateCode.optional(), act: code.optional(), perpetrator: code.optional() });
const seriesSchema = z.object({ threshold: z.number().int(), total: figureSchema, data: z.array(cellSchema) });

function checkPeriod(q: { from?: string | undefined; to?: string | undefined }): void {
  if (q.from && q.to && q.from > q.to) {
    throw new AppError('VALIDATION_FAILED', 'Invalid query: from: must not be after "to"', [{ location: 'query', field: 'from', message: 'must not be after "to"' }]);
  }
}

const MONTHS: Record<Lang, string[]> = {
  es: ['ene', 'feb', 'mar', 'abr', 'may', 'jun', 'jul', 'ago', 'sep', 'oct', 'nov', 'dic'],
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
};
const monthLabel = (lang: Lang): Labels => (key) => `${MONTHS[lang][Number(key.slice(5, 7)) - 1]} ${key.slice(0, 4)}`;

/** Labels of a vocabulary's codes in one language; unknown codes (e.g. UNSPECIFIED) read as themselves. */
export async function vocabularyLabels(db: Kysely<DB>, vocabulary: string, lang: Lang): Promise<Labels> {
  const rows = await db.selectFrom('vocabulary_terms').select(['code', 'label_es', 'label_en']).where('vocabulary', '=', vocabulary).execute();
  const map = new Map(rows.map((r) => [r.code, lang === 'en' ? r.label_en : r.label_es]));
  const unspecified = lang === 'en' ? 'Not specified' : 'Sin especificar';
  return (key) => map.get(key) ?? (key === 'UNSPECIFIED' ? unspecified : key);
}

async function stateLabels(db: Kysely<DB>): Promise<Labels> {
  const rows = await db.selectFrom('ref_states').select(['code', 'name']).execute();
  const map = new Map(rows.map((r) => [r.code, r.name]));
  return (key) => map.get(key) ?? key;
}

/**
 * Public statistics for the dashboard, from the rollups, with small numbers hidden. Mounted at
 * /api/v1/statistics; anyone may read them.
 */
export function statisticsRoutes(deps: { database: Database; config: Config }): FastifyPluginAsyncZod {
  const { db } = deps.database;
  const threshold = deps.config.smallNumberThreshold;
  const dashboard = async (query: z.infer<typeof filtersQuery>) => {
    checkPeriod(query);
    const [stats, state, act, perpetrator, place] = await Promise.all([
      readPublicStatistics({ db, threshold, filters: query }),
      stateLabels(db),
      vocabularyLabels(db, 'act_types', query.lang),
      vocabularyLabels(db, 'perpetrator_types', query.lang),
      vocabularyLabels(db, 'place_types', query.lang),
    ]);
    return presentStatistics(stats, { state, act, perpetrator, place, month: monthLabel(query.lang) });
  };
  let stateMap: Promise<StateMap> | undefined;
  const readStateMap = () =>
    (stateMap ??= fs.readFile(path.join(REFERENCE_DATA_DIR, 'mx-states.geojson'), 'utf8').then((text) => projectStateMap(JSON.parse(text) as StatesGeoJson)));
  return async (app) => {
    app.get(
      '/map',
      {
        config: { access: access.public },
        schema: {
          tags,
          summary: "The states' outlines as SVG paths for the map (INEGI, simplified and projected)",
          response: { 200: z.object({ viewBox: z.string(), states: z.array(z.object({ code: z.string(), name: z.string(), path: z.string() })) }) },
        },
      },
      async (_request, reply) => {
        reply.header('cache-control', 'public, max-age=86400');
        return readStateMap();
      },
    );

    app.get(
      '/summary',
      {
        config: { access: access.public },
        schema: {
          tags,
          summary: 'The whole dashboard: total, by state, by month, by act, perpetrator and place type',
          description:
            'Verified incidents that their organizations shared, by month of their start. Any figure under the threshold shows as "<3"; complementary suppression hides further figures ("—") so that totals cannot give one away.',
          querystring: filtersQuery,
          response: { 200: statisticsSchema, ...errorResponses(400) },
        },
      },
      async (request) => dashboard(request.query),
    );

    const series = (path: string, summary: string, query: typeof filtersQuery | ReturnType<typeof filtersQuery.omit>, table: 'byState' | 'byMonth') =>
      app.get(
        path,
        { config: { access: access.public }, schema: { tags, summary, querystring: query, response: { 200: seriesSchema, ...errorResponses(400) } } },
        async (request) => {
          const d = await dashboard(filtersQuery.parse(request.query));
          return { threshold: d.threshold, total: d.total, data: d[table] };
        },
      );
    series('/states', 'Figures by state (the map)', filtersQuery.omit({ state: true }), 'byState');
    series('/monthly', 'Monthly series', filtersQuery, 'byMonth');

    app.get(
      '/breakdowns',
      {
        config: { access: access.public },
        schema: {
          tags,
          summary: 'Breakdowns by act type, perpetrator type and place type',
          querystring: filtersQuery,
          response: {
            200: statisticsSchema.pick({ threshold: true, total: true, byActType: true, byPerpetratorType: true, byPlaceType: true }),
            ...errorResponses(400),
          },
        },
      },
      async (request) => {
        const d = await dashboard(request.query);
        return { threshold: d.threshold, total: d.total, byActType: d.byActType, byPerpetratorType: d.byPerpetratorType, byPlaceType: d.byPlaceType };
      },
    );

    app.get(
      '/states/:code/municipalities',
      {
        config: { access: access.public },
        schema: {
          tags,
          summary: "A state's municipalities",
          params: z.object({ code: stateCode }),
          querystring: periodQuery,
          response: { 200: z.object({ threshold: z.number().int(), state: cellSchema, data: z.array(cellSchema) }), ...errorResponses(400, 404) },
        },
      },
      async (request) => {
        checkPeriod(request.query);
        const { code: stateCode } = request.params;
        const states = await stateLabels(db);
        if (states(stateCode) === stateCode) throw new AppError('NOT_FOUND', 'There is no such state.', { code: stateCode });
        const result = await readStateMunicipalities({ db, threshold, stateCode, from: request.query.from, to: request.query.to });
        const names = new Map(
          (await db.selectFrom('ref_municipalities').select(['cvegeo', 'name']).where('state_code', '=', stateCode).execute()).map((r) => [r.cvegeo, r.name]),
        );
        const unknown = request.query.lang === 'en' ? 'Municipality not known' : 'Municipio no conocido';
        return {
          threshold,
          state: { key: stateCode, label: states(stateCode), ...presentFigure(result.state) },
          data: presentCells(result.municipalities, (key) => (key === '' ? unknown : (names.get(key) ?? key))),
        };
      },
    );
  };
}
