import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../../db/client.js';
import { findPublicAlert, listPublicAlerts, PublicAlertCursorError } from '../../../db/repositories/public-alerts.repository.js';
import { PUBLIC_ALERT_PATHS, publicAlertPath } from '../../../domain/public-alert-paths.js';
import { access } from '../../../policies/access.js';
import { renderAlertFeed } from '../../../presenters/public-alert-feed.js';
import { renderAlertPdf } from '../../../presenters/public-alert-pdf.js';
import {
  presentPublicAlert,
  presentPublicAlertSummary,
  publicAlertSchema,
  publicAlertSummarySchema,
} from '../../../presenters/public-alert.presenter.js';
import type { Config } from '../../config.js';
import { AppError } from '../../errors.js';
import { errorResponses, langQuery } from '../schemas.js';

const tags = ['public alerts'];

const listQuery = z
  .object({
    state: z.string().regex(/^\d{2}$/, 'must be a two-digit INEGI state code such as "07"').optional(),
    actType: z.string().max(64).regex(/^[A-Z][A-Z0-9_]*$/, 'must be an act type code such as "MIGRATION_CHECK"').optional(),
    cursor: z.string().max(200).optional().describe('The nextCursor of the previous page'),
    limit: z.coerce.number({ error: 'must be a whole number from 1 to 100' }).int().min(1).max(100).default(20),
  })
  .strict();

const slugParams = z.object({
  slug: z.string().max(200).regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be an alert address such as "hostigamiento-sonora-2019"'),
});

/** How many alerts a feed carries: the newest, enough for any reader polling daily. */
const FEED_SIZE = 50;

/** Absolute addresses start from the configured public URL, or else from the address the request came to. */
export function publicBaseUrl(config: Pick<Config, 'publicUrl'>, request: FastifyRequest): string {
  return (config.publicUrl ?? `${request.protocol}://${request.host}`).replace(/\/+$/, '');
}

async function findOrNotFound(database: Database, slug: string) {
  const record = await findPublicAlert(database.db, slug);
  if (!record) throw new AppError('NOT_FOUND', 'No published alert at this address.');
  return record;
}

/**
 * Alerts as the public reads them: the list, one alert and its PDF. Anyone may call these; they answer
 * only for published (and withdrawn) alerts, and only through the public presenter. Mounted at
 * /api/v1/public.
 */
export function publicAlertRoutes(deps: { database: Database; config: Config }): FastifyPluginAsyncZod {
  const { database, config } = deps;
  return async (app) => {
    app.get(
      '/alerts',
      {
        config: { access: access.public },
        schema: {
          tags,
          summary: 'Published and withdrawn alerts, newest first, filtered by state and act type',
          querystring: listQuery,
          response: { 200: z.object({ data: z.array(publicAlertSummarySchema), nextCursor: z.string().nullable() }), ...errorResponses(400) },
        },
      },
      async (request) => {
        const { state, actType, cursor, limit } = request.query;
        try {
          const page = await listPublicAlerts(database.db, { stateCode: state, actType, cursor, limit });
          return { data: page.items.map(presentPublicAlertSummary), nextCursor: page.nextCursor };
        } catch (error) {
          if (error instanceof PublicAlertCursorError) {
            throw new AppError('VALIDATION_FAILED', `Invalid query: cursor: ${error.message}`, [
              { location: 'querystring', field: 'cursor', message: error.message },
            ]);
          }
          throw error;
        }
      },
    );

    app.get(
      '/alerts/:slug',
      {
        config: { access: access.public },
        schema: {
          tags,
          summary: 'One published alert (a withdrawn one: its withdrawal notice instead of its text)',
          params: slugParams,
          response: { 200: publicAlertSchema, ...errorResponses(400, 404) },
        },
      },
      async (request) => presentPublicAlert(await findOrNotFound(database, request.params.slug)),
    );

    app.get(
      '/alerts/:slug/pdf',
      {
        config: { access: access.public },
        schema: {
          tags,
          summary: 'One published alert as a PDF, in Spanish or English; 410 once withdrawn',
          params: slugParams,
          querystring: langQuery.strict(),
          produces: ['application/pdf'],
          response: { 200: z.any().describe('application/pdf'), ...errorResponses(400, 404, 410) },
        },
      },
      async (request, reply) => {
        const alert = presentPublicAlert(await findOrNotFound(database, request.params.slug));
        if (alert.withdrawal) throw new AppError('GONE', 'This alert was withdrawn; its text is no longer published.');
        const language = request.query.lang;
        const url = `${publicBaseUrl(config, request)}${publicAlertPath(language, alert.slug)}`;
        const pdf = await renderAlertPdf(alert, language, url);
        return reply
          .type('application/pdf')
          .header('content-disposition', `inline; filename="vigia-${alert.slug}-${language}.pdf"`)
          .header('cache-control', 'no-cache')
          .send(pdf);
      },
    );
  };
}

/** The Atom feeds of alerts, /alertas.atom (Spanish) and /en/alerts.atom (English), at the site's root. */
export function alertFeedRoutes(deps: { database: Database; config: Config }): FastifyPluginAsyncZod {
  const { database, config } = deps;
  return async (app) => {
    for (const language of ['es', 'en'] as const) {
      app.get(PUBLIC_ALERT_PATHS[language].feed, { schema: { hide: true } }, async (request, reply) => {
        const page = await listPublicAlerts(database.db, { limit: FEED_SIZE });
        const xml = renderAlertFeed(page.items.map(presentPublicAlertSummary), language, publicBaseUrl(config, request));
        return reply.type('application/atom+xml; charset=utf-8').header('cache-control', 'no-cache').send(xml);
      });
    }
  };
}
