import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../../db/client.js';
import { readOpenData } from '../../../commands/read-open-data.js';
import { access } from '../../../policies/access.js';
import { dictionarySchema, openDataCsv, openDataDictionary, openDataGeoJson, openDataJson, openDataJsonSchema } from '../../../presenters/open-data.presenter.js';
import type { Config } from '../../config.js';

const tags = ['open data'];
const licenceHeader = '<https://creativecommons.org/licenses/by/4.0/>; rel="license"';

/** The public incident list as files anyone may take away (CC BY 4.0). Mounted at /api/v1/open-data. */
export function openDataRoutes(deps: { database: Database; config: Config }): FastifyPluginAsyncZod {
  const { db } = deps.database;
  const threshold = deps.config.smallNumberThreshold;
  const rows = () => readOpenData({ db, threshold });
  return async (app) => {
    const file = (path: string, summary: string, type: string, body: (r: Awaited<ReturnType<typeof rows>>) => string) =>
      app.get(
        path,
        { config: { access: access.public }, schema: { tags, summary, response: { 200: z.string() } } },
        async (_request, reply) => {
          const text = body(await rows());
          reply.type(type).header('link', licenceHeader).header('content-disposition', `attachment; filename="vigia-${path.slice(1)}"`);
          return text;
        },
      );
    file('/incidents.csv', 'Public incident list as CSV', 'text/csv; charset=utf-8', (r) => openDataCsv(r, { hxl: false }));
    file('/incidents.hxl.csv', 'Public incident list as HXL-tagged CSV', 'text/csv; charset=utf-8', (r) => openDataCsv(r, { hxl: true }));
    file('/incidents.geojson', 'Public incident list as GeoJSON points at municipal seats', 'application/geo+json; charset=utf-8', (r) => JSON.stringify(openDataGeoJson(r)));

    app.get(
      '/incidents.json',
      { config: { access: access.public }, schema: { tags, summary: 'Public incident list as JSON', response: { 200: openDataJsonSchema } } },
      async (_request, reply) => {
        reply.header('link', licenceHeader);
        return openDataJson(await rows());
      },
    );

    app.get(
      '/dictionary',
      { config: { access: access.public }, schema: { tags, summary: 'Data dictionary: columns, HXL tags, rules, licence and credits', response: { 200: dictionarySchema } } },
      async () => openDataDictionary(threshold),
    );
  };
}
