import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';
import SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { JobDependencies, JobHandler } from '../registry.js';
import type { EmailPayload } from './email.job.js';

// The worker aborts a handler after its job timeout (half the lease, 30 s by default), but nodemailer
// takes no abort signal: without these, a silent server would keep the abandoned connection for the
// library's defaults (up to 10 minutes). An smtp:// URL can still override them in its query string.
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 };

/** Where the file fallback keeps a message: one file per message id, so a retry overwrites it. */
export function emlPath(dataDir: string, messageId: string): string {
  return path.join(dataDir, 'mail', `${messageId}.eml`);
}

/**
 * The handler of `email.send` jobs for one configuration: SMTP when `config.mail.smtpUrl` is set,
 * otherwise an RFC 822 file under `<dataDir>/mail`, so that a small installation without a mail server
 * still has every message an operator can open or forward.
 */
export function createEmailHandler(config: JobDependencies['config']): JobHandler<EmailPayload> {
  const { smtpUrl, from } = config.mail;
  if (smtpUrl) {
    const transport = nodemailer.createTransport(new SMTPTransport({ ...SMTP_TIMEOUTS, url: smtpUrl }));
    return async ({ job, signal }) => {
      signal.throwIfAborted();
      await transport.sendMail(mailOptions(job.payload, from));
    };
  }
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  return async ({ job, signal, logger }) => {
    signal.throwIfAborted();
    const info = await composer.sendMail(mailOptions(job.payload, from));
    const file = emlPath(config.dataDir, job.payload.messageId);
    await writeFileAtomically(file, info.message);
    logger.info({ jobId: job.id, file }, 'e-mail written to a file (no SMTP server is configured)');
  };
}

function mailOptions(payload: EmailPayload, from: string): Mail.Options {
  return {
    from,
    to: payload.to,
    subject: payload.subject,
    text: payload.text,
    ...(payload.html !== undefined ? { html: payload.html } : {}),
    ...(payload.headers !== undefined ? { headers: payload.headers } : {}),
    // Stable across attempts: a message sent twice (a worker that died after sending) carries the same
    // Message-ID, which mail clients and servers use to recognise the duplicate.
    messageId: `<${payload.messageId}@${senderDomain(from)}>`,
  };
}

function senderDomain(from: string): string {
  return /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1] ?? 'localhost';
}

// A crash mid-write must not leave half a message where a whole one is expected; the rename replaces
// the file of an earlier attempt in one step.
async function writeFileAtomically(file: string, contents: Buffer | NodeJS.ReadableStream): Promise<void> {
  if (!Buffer.isBuffer(contents)) throw new TypeError('The e-mail composer returned a stream instead of a buffer');
  await fs.mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await fs.writeFile(temporary, contents, { mode: 0o600 });
    await fs.rename(temporary, file);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
}
