import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.js';
import { enqueue } from '../outbox.js';
// Types only: registry.ts imports this module to list the kind, so a runtime import back (even of
// `defineJob`) would be a cycle that breaks whichever of the two is loaded first.
import type { JobDefinition, JobRegistry } from '../registry.js';

/** The outbox kind of an outgoing e-mail. */
export const EMAIL_JOB_KIND = 'email.send';

// Becomes a file name (`<dataDir>/mail/<id>.eml`) and the local part of the Message-ID, so it admits
// no path separators, no leading dot and nothing that needs quoting in a header.
const MESSAGE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

// Set by the sender itself; a payload that tried to set them would contradict the rest of the payload.
const RESERVED_HEADERS = new Set([
  'to',
  'cc',
  'bcc',
  'from',
  'sender',
  'reply-to',
  'subject',
  'message-id',
  'date',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
]);

const headerName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,75}$/, 'must be a header name such as "Auto-Submitted"')
  .refine((name) => !RESERVED_HEADERS.has(name.toLowerCase()), 'is set by the mailer and cannot be overridden');

/** One e-mail as it waits in the outbox: plain JSON, since the outbox stores it as jsonb. */
export const emailPayloadSchema = z.object({
  to: z.email(),
  subject: z.string().min(1).max(998).regex(/^[^\r\n]*$/, 'must be one line'),
  text: z.string().min(1),
  html: z.string().min(1).optional(),
  headers: z.record(headerName, z.string().max(998).regex(/^[^\r\n]*$/, 'must be one line')).optional(),
  /** Chosen once at enqueue time, so every attempt sends (or writes) the same, recognizable message. */
  messageId: z.string().regex(MESSAGE_ID_PATTERN, 'must be letters, digits, ".", "_" or "-"'),
});

/** The payload of an `email.send` job. */
export type EmailPayload = z.output<typeof emailPayloadSchema>;

/**
 * Sends one e-mail over SMTP, or writes it as an .eml file when no SMTP server is configured. The
 * handler (and nodemailer with it) is imported only when the first e-mail is sent.
 */
export const emailJob: JobDefinition<typeof emailPayloadSchema> = {
  kind: EMAIL_JOB_KIND,
  version: 1,
  payloadSchema: emailPayloadSchema,
  handler: async ({ config }) => (await import('./send-email.js')).createEmailHandler(config),
};

/**
 * Queues an e-mail inside `trx`, the transaction that makes the change it tells about, so that the
 * message goes out if and only if that change commits. Returns the message id it was given.
 */
export async function enqueueEmail(
  trx: Kysely<DB>,
  registry: JobRegistry,
  message: Omit<EmailPayload, 'messageId'>,
): Promise<string> {
  const messageId = randomUUID();
  await enqueue(trx, { kind: EMAIL_JOB_KIND, payload: { ...message, messageId } }, registry);
  return messageId;
}
