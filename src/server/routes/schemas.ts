import { z } from 'zod';
import { ERROR_STATUS, type ErrorCode } from '../errors.js';

/** The one error shape, as it appears in the OpenAPI document. */
export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]),
      message: z.string(),
      details: z.unknown().optional(),
      requestId: z.string(),
    }),
  })
  .meta({ id: 'Error' });

/** Response entries for the given error statuses, to spread into a route's `response` schema. */
export function errorResponses<S extends number>(...statuses: S[]): Record<S, typeof errorBodySchema> {
  return Object.fromEntries(statuses.map((s) => [s, errorBodySchema])) as Record<S, typeof errorBodySchema>;
}

/** `?lang=es|en` for every endpoint that returns labels; Spanish is the default. */
export const langQuery = z.object({
  lang: z.enum(['es', 'en'], { error: 'must be "es" or "en"' }).default('es'),
});
export type Lang = z.infer<typeof langQuery>['lang'];
