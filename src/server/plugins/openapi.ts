import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

/**
 * The OpenAPI 3.1 document, generated from the Zod schemas each route declares. Must be registered
 * before the routes so that it sees them. Served at /api/openapi.json, with a readable page at /api/docs.
 */
export async function registerOpenApi(app: FastifyInstance, options: { version: string }): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Vigía API',
        version: options.version,
        description:
          'Documentation and early warning of attacks on people who defend migrants in Mexico. ' +
          'Every failure answers {"error":{"code","message","details","requestId"}}.',
        license: { name: 'AGPL-3.0-or-later', identifier: 'AGPL-3.0-or-later' },
      },
      tags: [
        { name: 'system', description: 'Health and readiness' },
        { name: 'reference', description: 'States, municipalities and controlled vocabularies' },
      ],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    // The docs page is Swagger UI's own bundle, which styles elements inline; it gets the app's strict
    // policy with inline styles allowed and nothing from other hosts.
    transformStaticCSP: () =>
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
      "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    uiConfig: { deepLinking: false, validatorUrl: null },
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
