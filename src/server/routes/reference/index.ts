import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { access } from '../../../policies/access.js';
import type { Database } from '../../../db/client.js';
import {
  findVocabulary,
  listActiveTerms,
  listMunicipalities,
  listStateGeometries,
  listStates,
  listVocabularies,
  stateExists,
} from '../../../db/repositories/reference.repository.js';
import { loadLegalRules } from '../../../domain/legal/rules.js';
import { VOCABULARY_NAME_PATTERN } from '../../../domain/vocabularies.js';
import {
  legalRuleSummarySchema,
  municipalitySchema,
  presentLegalRuleSummary,
  presentMunicipality,
  presentState,
  presentStateFeatureCollection,
  presentVocabulary,
  presentVocabularySummary,
  stateFeatureCollectionSchema,
  stateSchema,
  vocabularySchema,
  vocabularySummarySchema,
} from '../../../presenters/reference.presenter.js';
import { AppError } from '../../errors.js';
import { jsonCache } from '../../cached-json.js';
import { errorResponses, langQuery } from '../schemas.js';

const tags = ['reference'];

const municipalitiesQuery = langQuery.extend({
  state: z
    .string({ error: 'is required: a two-digit INEGI state code such as "07"' })
    .regex(/^\d{2}$/, 'must be a two-digit INEGI state code such as "07"'),
  includeRetired: z.enum(['true', 'false'], { error: 'must be "true" or "false"' }).default('false'),
});

const vocabularyParams = z.object({
  name: z.string().max(63).regex(VOCABULARY_NAME_PATTERN, 'must be a vocabulary name such as "act_types"'),
});

/**
 * Read-only reference data for forms, filters and maps: states, municipalities, the controlled
 * vocabularies and the legal rules' titles, labelled in Spanish or English. Mounted at /api/v1/reference.
 */
export function referenceRoutes(deps: { database: Database }): FastifyPluginAsyncZod {
  const { db } = deps.database;
  // Reference data is loaded at start and never changes while the server runs: each answer is made once.
  const sendCached = jsonCache();
  return async (app) => {
    app.get(
      '/states',
      {
        config: { access: access.public },
        schema: {
          tags,
          summary: "Mexico's 32 states, in INEGI order",
          querystring: langQuery,
          response: { 200: z.object({ data: z.array(stateSchema) }), ...errorResponses(400) },
        },
      },
      (request, reply) => sendCached(request, reply, 'states', async () => ({ data: (await listStates(db)).map(presentState) })),
    );

    app.get(
      '/states/geojson',
      {
        config: { access: access.public },
        schema: {
          tags,
          summary: 'State outlines as a GeoJSON FeatureCollection, simplified for web maps',
          description: 'Boundaries: INEGI, Marco Geoestadístico (via lapanquecita/remesas, MIT).',
          querystring: langQuery,
          response: { 200: stateFeatureCollectionSchema, ...errorResponses(400) },
        },
      },
      (request, reply) =>
        sendCached(request, reply, 'states.geojson', async () => presentStateFeatureCollection(await listStateGeometries(db)), 'application/geo+json; charset=utf-8'),
    );

    app.get(
      '/municipalities',
      {
        config: { access: access.public },
        schema: {
          tags,
          summary: "A state's municipalities (INEGI catalogue), in alphabetical order",
          querystring: municipalitiesQuery,
          response: { 200: z.object({ data: z.array(municipalitySchema) }), ...errorResponses(400, 404) },
        },
      },
      (request, reply) => {
        const { state, includeRetired } = request.query;
        return sendCached(request, reply, `municipalities:${state}:${includeRetired}`, async () => {
          if (!(await stateExists(db, state))) {
            throw new AppError('NOT_FOUND', `There is no state with INEGI code "${state}" (codes run from "01" to "32").`, {
              state,
            });
          }
          const rows = await listMunicipalities(db, state, { includeRetired: includeRetired === 'true' });
          return { data: rows.map(presentMunicipality) };
        });
      },
    );

    app.get(
      '/vocabularies',
      {
        config: { access: access.public },
        schema: {
          tags,
          summary: 'The controlled vocabularies, with their labels',
          querystring: langQuery,
          response: { 200: z.object({ data: z.array(vocabularySummarySchema) }), ...errorResponses(400) },
        },
      },
      (request, reply) =>
        sendCached(request, reply, `vocabularies:${request.query.lang}`, async () => ({
          data: (await listVocabularies(db)).map((row) => presentVocabularySummary(row, request.query.lang)),
        })),
    );

    app.get(
      '/vocabularies/:name',
      {
        config: { access: access.public },
        schema: {
          tags,
          summary: "A vocabulary's active terms, in their sort order",
          params: vocabularyParams,
          querystring: langQuery,
          response: { 200: z.object({ data: vocabularySchema }), ...errorResponses(400, 404) },
        },
      },
      (request, reply) => {
        const { name } = request.params;
        return sendCached(request, reply, `vocabulary:${name}:${request.query.lang}`, async () => {
          const vocabulary = await findVocabulary(db, name);
          if (!vocabulary) throw new AppError('NOT_FOUND', `There is no vocabulary named "${name}".`, { name });
          const terms = await listActiveTerms(db, name);
          return { data: presentVocabulary(vocabulary, terms, request.query.lang) };
        });
      },
    );

    app.get(
      '/legal-rules',
      {
        config: { access: access.public },
        schema: {
          tags,
          summary: 'The legal rules (data/reference/legal-rules.json) by id, title and citation, for choosing among them',
          querystring: langQuery,
          response: { 200: z.object({ data: z.array(legalRuleSummarySchema) }), ...errorResponses(400) },
        },
      },
      (request, reply) =>
        sendCached(request, reply, `legal-rules:${request.query.lang}`, () => ({ data: loadLegalRules().map((rule) => presentLegalRuleSummary(rule, request.query.lang)) })),
    );
  };
}
