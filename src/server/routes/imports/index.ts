import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { importIncidents } from '../../../commands/import-incidents.js';
import type { Keyring } from '../../../crypto/keyring.js';
import type { Database } from '../../../db/client.js';
import { access } from '../../../policies/access.js';
import { originOf } from '../auth/request.js';
import { errorResponses } from '../schemas.js';

const organizationParams = z.object({ id: z.uuid({ error: 'must be an organization id (uuid)' }) });

const importReportSchema = z
  .object({
    total: z.number().int(),
    valid: z.number().int(),
    invalid: z.number().int(),
    imported: z.number().int(),
    dryRun: z.boolean(),
    problems: z.array(z.object({ row: z.number().int(), column: z.string(), problem: z.string() })),
  })
  .meta({ id: 'ImportReport' });

/**
 * Importing incidents from the browser. The whole CSV travels in the JSON body, so a file is limited by
 * the server's body limit (VIGIA_BODY_LIMIT_BYTES, 1 MiB by default — a few thousand rows); larger files
 * go through `vigia import incidents`. The import runs while the request waits: the browser shows an
 * indeterminate progress indicator, then the report.
 */
export function importRoutes(deps: { database: Database; keyring: Keyring }): FastifyPluginAsyncZod {
  const { database, keyring } = deps;
  return async (app) => {
    app.post(
      '/organizations/:id/imports',
      {
        config: { access: access.signedIn },
        schema: {
          tags: ['incidents'],
          summary: 'Imports incidents from a CSV through a mapping, or only validates it (dryRun)',
          description:
            'The CSV is sent as text in the JSON body, so its size is limited by the server body limit (VIGIA_BODY_LIMIT_BYTES, 1 MiB by default); ' +
            'use `vigia import incidents` for larger files. Synchronous: the answer comes when the import is done. Without skipInvalid, ' +
            'nothing is imported when any row is invalid. Rows are numbered as in a spreadsheet (the header is row 1). See docs/IMPORT.md for the mapping.',
          params: organizationParams,
          body: z
            .object({
              csv: z.string().min(1, 'must hold the CSV file, header first'),
              mapping: z.record(z.string(), z.unknown()),
              dryRun: z.boolean().default(false),
              skipInvalid: z.boolean().default(false),
            })
            .strict(),
          response: { 200: importReportSchema, ...errorResponses(400, 401, 403, 404, 413) },
        },
      },
      async (request) =>
        importIncidents({
          database,
          keyring,
          actor: request.actor,
          organizationId: request.params.id,
          openCsv: () => Readable.from([request.body.csv]),
          mapping: request.body.mapping,
          dryRun: request.body.dryRun,
          skipInvalid: request.body.skipInvalid,
          context: originOf(request),
        }),
    );
  };
}
