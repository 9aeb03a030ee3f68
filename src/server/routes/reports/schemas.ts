import { z } from 'zod';
import { memberReportExtraSchema, reportBaseSchema } from '../../../domain/report.js';

/** Optional on the wire: a client that retries with the same key never files a report twice. */
export const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(8, 'must be 8 to 100 characters (a random UUID is ideal)')
    .max(100, 'must be 8 to 100 characters (a random UUID is ideal)')
    .regex(/^[A-Za-z0-9_.:-]+$/, 'must be letters, digits and - _ . : only')
    .optional(),
});

const receiptSecret = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be 32 random bytes in base64url (43 characters)');

export const publicReportBody = reportBaseSchema
  .extend({
    organizationId: z.uuid({ error: 'must be the id of a network from GET /api/v1/public/intake' }).optional(),
    pow: z.object({ challenge: z.string().max(200), nonce: z.string().max(30) }).strict(),
    receiptSecret,
  })
  .strict();

export const memberReportBody = reportBaseSchema.extend(memberReportExtraSchema.shape).extend({ receiptSecret: receiptSecret.optional() }).strict();

export const receiptBody = z
  .object({
    receiptCode: z.string().min(12, 'must be the receipt code, such as K7QW-3MXA-9TRC').max(20),
    secret: z.string().min(1, 'must be the secret given with the receipt').max(100),
  })
  .strict();

export const additionBody = receiptBody.extend({ text: z.string().trim().min(1, 'must not be empty').max(10_000) }).strict();

export const receiptSchema = z
  .object({
    receiptCode: z.string(),
    status: z.literal('received'),
    submittedAt: z.date(),
  })
  .meta({ id: 'ReportReceipt' });

export const receiptStatusSchema = z
  .object({
    receiptCode: z.string(),
    status: z.enum(['received', 'in_review', 'documented', 'needs_information', 'closed']),
    submittedAt: z.date(),
    updatedAt: z.date(),
    question: z.string().nullable(),
    additions: z.array(z.object({ at: z.date() })),
  })
  .meta({ id: 'ReportReceiptStatus' });

export const attachmentBody = receiptBody
  .extend({
    length: z.number().int('must be a whole number of bytes').min(1, 'must be at least 1 byte').describe('The exact size of the file in bytes'),
    fileName: z.string().trim().min(1).max(255).optional().describe('Sealed; shown only to those who document the report'),
  })
  .strict();

export const receiptSecretHeaders = z.object({
  'x-receipt-secret': z.string({ error: "must be sent: the receipt's secret" }).min(1).max(100).describe("The receipt's secret (a header, so it never appears in a URL)"),
});
