import { z } from 'zod';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date written YYYY-MM-DD' });
const name = z.object({ es: z.string(), en: z.string() });
export const token = z.string().min(16, { error: 'must be the whole token from the link' }).max(200).regex(/^[A-Za-z0-9_-]+$/, { error: 'must be the token from the link' });

export const subscriptionBody = z
  .object({
    email: z.email({ error: 'must be an e-mail address' }).max(254),
    language: z.enum(['es', 'en']),
    stateCodes: z.array(z.string().regex(/^\d{2}$/, { error: 'must be a two-digit INEGI state code' })).max(32).default([]),
    actTypes: z.array(z.string().regex(/^[A-Z][A-Z0-9_]*$/, { error: 'must be an act type code such as MIGRATION_CHECK' })).max(100).default([]),
  })
  .strict();

export const requestChannel = z.enum(['official_letter', 'email', 'in_person', 'platform', 'other']);

export const publicAccountabilitySchema = z.object({
  addressees: z.array(
    z.object({
      addresseeCode: z.string(),
      addresseeName: name,
      stateCode: z.string().nullable(),
      sentOn: isoDate,
      dueOn: isoDate,
      status: z.enum(['answered', 'overdue', 'awaiting']),
      responses: z.array(z.object({ receivedOn: isoDate, summary: z.string(), document: z.object({ url: z.string(), mimeType: z.string() }).nullable() })),
    }),
  ),
});

export const alertRequestSchema = z.object({
  id: z.uuid(),
  addresseeCode: z.string(),
  addresseeName: name,
  stateCode: z.string().nullable(),
  sentOn: isoDate,
  channel: requestChannel,
  dueOn: isoDate,
  overdue: z.boolean(),
  responses: z.array(
    z.object({
      id: z.uuid(),
      receivedOn: isoDate,
      summary: z.string(),
      documentText: z.string().nullable(),
      recordedAt: z.date(),
      document: z.object({ mimeType: z.string(), length: z.number().int(), sha256: z.string(), public: z.boolean() }).nullable(),
    }),
  ),
});

export const responseBody = z
  .object({
    receivedOn: isoDate,
    summary: z.string().trim().min(1, { error: 'is required' }).max(3_000, { error: 'must be at most 3000 characters' }),
    documentText: z.string().max(100_000, { error: 'must be at most 100000 characters' }).nullable().default(null),
  })
  .strict();

export const responseDocumentQuery = z
  .object({
    public: z.enum(['true', 'false'], { error: 'must be true or false' }).default('false').transform((v) => v === 'true'),
  })
  .strict();

/** Where a response's document is sent: the bytes as the request body, whatever Content-Type says. */
export const RESPONSE_DOCUMENT_CONTENT_TYPES = /^(application\/(pdf|octet-stream)|image\/[a-z0-9.+-]+)\s*(;|$)/i;

export const requestUpdateBody = z.object({ sentOn: isoDate, channel: requestChannel }).strict();

export const webhookEndpointBody = z
  .object({
    url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2_000),
    description: z.string().trim().max(200).default(''),
  })
  .strict();

export const webhookEndpointSchema = z.object({
  id: z.uuid(),
  url: z.string(),
  description: z.string(),
  active: z.boolean(),
  createdAt: z.date(),
  deliveries: z.array(
    z.object({
      id: z.number().int(),
      jobId: z.number().int(),
      attempt: z.number().int(),
      alertId: z.uuid(),
      event: z.string(),
      attemptedAt: z.date(),
      statusCode: z.number().int().nullable(),
      durationMs: z.number().int(),
      error: z.string().nullable(),
      succeeded: z.boolean(),
    }),
  ),
});
