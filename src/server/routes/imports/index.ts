import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { importIncidents } from '../../../commands/import-incidents.js';
import type { Keyring } from '../../../crypto/keyring.js';
import type { Database } from '../../../db/client.js';
import { access } from '../../../policies/access.js';
import { originOf } from '../auth/request.js';
import { errorBodySchema, errorResponses } from '../schemas.js';
import { acceptsNdjson, NDJSON, replyWithProgress, type ProgressListener } from './progress-stream.js';

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

/** One line of the answer with progress: progress while it runs, then the report or the error. */
const importStreamLineSchema = z
  .discriminatedUnion('type', [
    z.object({
      type: z.literal('progress'),
      phase: z.enum(['validating', 'importing']),
      done: z.number().int(),
      total: z.number().int().nullable().describe('null while the rows are still being counted'),
    }),
    importReportSchema.extend({ type: z.literal('report') }),
    errorBodySchema.extend({ type: z.literal('error') }),
  ])
  .meta({ id: 'ImportStreamLine' });

/**
 * Importing incidents from the browser. The whole CSV travels in the JSON body, so a file is limited by
 * the server's body limit (VIGIA_BODY_LIMIT_BYTES, 1 MiB by default — a few thousand rows; a larger body
 * answers 413 with the limit in its details); larger files go through `vigia import incidents`. The
 * import runs while the request waits. API clients get the report as JSON; the browser asks for
 * `application/x-ndjson` and gets progress lines as the rows are checked and imported, then the report
 * (see `replyWithProgress` for why a streamed answer rather than a job).
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
            'The CSV is sent as text in the JSON body, so its size is limited by the server body limit (VIGIA_BODY_LIMIT_BYTES, 1 MiB by default; ' +
            'a larger body answers 413 with details.limitBytes); use `vigia import incidents` for larger files. Synchronous: the answer comes when ' +
            'the import is done. With `Accept: application/x-ndjson` the 200 body is instead one JSON object per line: `progress` lines as rows ' +
            'are validated and imported, then one `report` line (the ImportReport) or one `error` line (the error shape) if it fails after progress ' +
            'began; failures before that answer with their usual status. Without skipInvalid, nothing is imported when any row is invalid. ' +
            'Rows are numbered as in a spreadsheet (the header is row 1). See docs/IMPORT.md for the mapping.',
          params: organizationParams,
          body: z
            .object({
              csv: z.string().min(1, 'must hold the CSV file, header first'),
              mapping: z.record(z.string(), z.unknown()),
              dryRun: z.boolean().default(false),
              skipInvalid: z.boolean().default(false),
            })
            .strict(),
          response: {
            200: {
              description: 'The import report; with Accept: application/x-ndjson, progress lines and then the report, one JSON object per line',
              content: { 'application/json': { schema: importReportSchema }, [NDJSON]: { schema: importStreamLineSchema } },
            },
            ...errorResponses(400, 401, 403, 404, 413),
          },
        },
      },
      async (request, reply) => {
        const run = (onProgress?: ProgressListener) =>
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
            ...(onProgress ? { onProgress } : {}),
          });
        if (acceptsNdjson(request.headers.accept)) return replyWithProgress(request, reply, run);
        return run();
      },
    );
  };
}
