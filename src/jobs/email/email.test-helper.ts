import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { Database } from '../../db/client.js';
import type { Config } from '../../server/config.js';
import { recordingLogger } from '../jobs.test-helper.js';
import { createJobRegistry } from '../run.js';
import { OutboxWorker } from '../worker.js';
import { EMAIL_JOB_KIND, emailPayloadSchema } from './email.job.js';
import { emlPath } from './send-email.js';

/**
 * Test helpers for e-mail: a small reader of the RFC 822 / MIME messages nodemailer writes, so tests
 * check what a recipient would see (decoded headers, text and HTML parts) rather than the transfer
 * encoding; and a real SMTP server on a loopback port that keeps what it receives.
 */

/** One message an SMTP test server accepted. */
export interface ReceivedEmail {
  mailFrom: string | undefined;
  rcptTo: string[];
  raw: string;
}

/** A running SMTP server on 127.0.0.1 and an ephemeral port; `close()` it after the test. */
export interface TestSmtpServer {
  url: string;
  received: ReceivedEmail[];
  close(): Promise<void>;
}

/** Starts a plain (no TLS, no auth) SMTP server that accepts every message and keeps it, on `port` if given. */
export async function startTestSmtpServer(port = 0): Promise<TestSmtpServer> {
  const received: ReceivedEmail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        received.push({
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
          rcptTo: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${address.port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A message's decoded headers (names lower-cased) and its text and HTML bodies. */
export interface ParsedEmail {
  headers: Map<string, string>;
  text: string | undefined;
  html: string | undefined;
}

/** Parses a whole message as written to an .eml file or received by an SMTP server. */
export function parseEml(raw: string): ParsedEmail {
  const parsed: ParsedEmail = { headers: new Map(), text: undefined, html: undefined };
  const { headers, body } = splitEntity(raw);
  parsed.headers = headers;
  collectBodies(headers, body, parsed);
  return parsed;
}

function splitEntity(raw: string): { headers: Map<string, string>; body: string } {
  const match = /\r?\n\r?\n/.exec(raw);
  const head = match ? raw.slice(0, match.index) : raw;
  const body = match ? raw.slice(match.index + match[0].length) : '';
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), decodeWords(line.slice(colon + 1).trim()));
  }
  return { headers, body };
}

function collectBodies(headers: Map<string, string>, body: string, into: ParsedEmail): void {
  const contentType = headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (contentType.toLowerCase().startsWith('multipart/') && boundary) {
    const parts = body.split(`--${boundary}`).slice(1);
    for (const part of parts) {
      if (part.startsWith('--')) break;
      const entity = splitEntity(part.replace(/^\r?\n/, ''));
      collectBodies(entity.headers, entity.body, into);
    }
    return;
  }
  const decoded = decodeBody(body, headers.get('content-transfer-encoding') ?? '7bit');
  if (contentType.toLowerCase().startsWith('text/html')) into.html = decoded;
  else if (contentType.toLowerCase().startsWith('text/plain')) into.text = decoded;
}

function decodeBody(body: string, encoding: string): string {
  switch (encoding.toLowerCase()) {
    case 'quoted-printable':
      return decodeQuotedPrintable(body.replace(/=\r?\n/g, ''));
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    default:
      return body;
  }
}

function decodeQuotedPrintable(value: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    if (value[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(value.slice(i + 1, i + 3))) {
      bytes.push(parseInt(value.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(value[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

// RFC 2047 encoded words; the whitespace between two adjacent ones is not part of the text.
function decodeWords(value: string): string {
  return value
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_all, _charset: string, kind: string, text: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : decodeQuotedPrintable(text.replaceAll('_', ' ')),
    );
}

/**
 * Runs every due e-mail job through the real handler (with `config` having no SMTP server, so each
 * becomes an .eml file) and returns the messages written, parsed, in the order they were queued.
 */
export async function deliverQueuedEmails(database: Database, config: Config): Promise<ParsedEmail[]> {
  const due = await database.db
    .selectFrom('outbox_jobs')
    .select('payload')
    .where('kind', '=', EMAIL_JOB_KIND)
    .where('status', '=', 'pending')
    .orderBy('id')
    .execute();
  const worker = new OutboxWorker({
    database,
    registry: createJobRegistry(config),
    logger: recordingLogger(),
    pollMs: 50,
    leaseMs: 20_000,
    kinds: [EMAIL_JOB_KIND],
  });
  let result = await worker.runOnce();
  while (result.claimed > 0) {
    if (result.done !== result.claimed) throw new Error(`e-mail jobs failed: ${JSON.stringify(result)}`);
    result = await worker.runOnce();
  }
  return due.map(({ payload }) => {
    const { messageId } = emailPayloadSchema.parse(payload);
    return parseEml(fs.readFileSync(emlPath(config.dataDir, messageId), 'utf8'));
  });
}

/** The token at the end of the first link to `/<page>/` in a message's text. */
export function tokenFromLink(email: ParsedEmail, page: 'invitacion' | 'restablecer'): string {
  const match = new RegExp(`/${page}/([A-Za-z0-9_-]+)`).exec(email.text ?? '');
  if (!match?.[1]) throw new Error(`the message has no /${page}/ link`);
  return match[1];
}
