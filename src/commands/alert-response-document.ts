import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { appendAudit } from '../audit/audit-log.js';
import type { Keyring } from '../crypto/keyring.js';
import type { Database } from '../db/client.js';
import { inspectType, TYPE_DETECTION_BYTES } from '../evidence/detect-type.js';
import type { EvidenceStore } from '../evidence/evidence-store.js';
import { peekStream } from '../evidence/peek-stream.js';
import type { Actor } from '../policies/actor.js';
import { AppError } from '../server/errors.js';
import { evidenceKeys } from './evidence-access.js';
import { asClientEvidenceError } from './evidence-errors.js';
import { makeRedactedCopy, REDACTED_COPY, removeRefused } from './finish-evidence-upload.js';
import { auditSource, isUuid, type RequestContext } from './organization-access.js';
import { authorizeAlertFollowUp, type ResponseDocumentView } from './read-alert-accountability.js';

/*
 * An authority's answer as a file: the PDF it sent, or a photo or scan of its letter. Kept like evidence
 * (sealed in the evidence store under the network's data key, type from the bytes, hash in the audit
 * chain), but it is the authority's document, not the network's record: an image is served only as its
 * metadata-free copy (a photo of a letter can carry where the person who took it was standing), and
 * the public sees it only when whoever attached it marked it public.
 */

/** An opened document, ready to stream. */
export interface OpenedResponseDocument {
  stream: Readable;
  mimeType: string;
  fileName: string;
}

const ACCEPTED_KINDS = new Set(['image', 'document']);

function refusal(detected: string | null): AppError {
  return new AppError(
    'UNSUPPORTED_MEDIA_TYPE',
    `An authority's answer is attached as a PDF or an image (JPEG, PNG, WebP, GIF, HEIC, TIFF); this file is ${detected ?? 'of a type that could not be recognised from its content'}.`,
    { detectedMime: detected },
  );
}

/** The response with its alert's network, or one 404 for a missing response and a forbidden one alike. */
async function responseOf(database: Database, actor: Actor, responseId: string, action: 'read' | 'record') {
  const response = isUuid(responseId)
    ? await database.db
        .selectFrom('alert_responses')
        .innerJoin('alert_requests', 'alert_requests.id', 'alert_responses.request_id')
        .select(['alert_responses.id', 'alert_responses.received_on', 'alert_requests.alert_id', 'alert_requests.addressee_code'])
        .where('alert_responses.id', '=', responseId)
        .executeTakeFirst()
    : undefined;
  if (!response) throw new AppError('NOT_FOUND', 'There is no such response.');
  try {
    const alert = await authorizeAlertFollowUp(database.db, actor, response.alert_id, action);
    return { ...response, networkId: alert.networkId };
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOT_FOUND') throw new AppError('NOT_FOUND', 'There is no such response.');
    throw error;
  }
}

/**
 * Attaches the authority's document to a recorded response (a reviewer or administrator of the alert's
 * network). The bytes stream into the store sealed; then the first bytes decide the type, and anything
 * but a PDF or an image is deleted and refused (415), as is an image this server cannot re-encode
 * without its metadata. The attachment's audit entry carries the SHA-256 of the bytes received.
 */
export async function attachAlertResponseDocument(options: {
  database: Database;
  keyring: Keyring;
  store: EvidenceStore;
  actor: Actor;
  responseId: string;
  body: Readable;
  /** The request's Content-Length: the store needs the size before the first byte. */
  length: number;
  maxBytes: number;
  public: boolean;
  context?: RequestContext;
}): Promise<ResponseDocumentView> {
  const { database, keyring, store, actor, length, maxBytes } = options;
  const response = await responseOf(database, actor, options.responseId, 'record');
  const existing = await database.db.selectFrom('alert_response_documents').select('response_id').where('response_id', '=', response.id).executeTakeFirst();
  if (existing) throw new AppError('CONFLICT', 'This response has its document already.');
  if (length > maxBytes) {
    throw new AppError('PAYLOAD_TOO_LARGE', `A document may be at most ${maxBytes} bytes; this one declares ${length}.`, { maxBytes });
  }
  if (length === 0) throw new AppError('BAD_REQUEST', 'The document is empty.');

  // Refuse a wrong type before anything is written.
  const { head, stream } = await peekStream(options.body, TYPE_DETECTION_BYTES);
  const early = await inspectType(head);
  const earlyKind = early.accepted ? early.type.kind : null;
  if (!early.accepted || !ACCEPTED_KINDS.has(early.type.kind)) {
    stream.destroy();
    throw refusal(early.accepted ? early.type.mime : early.detectedMime);
  }

  const { version } = await keyring.currentKey(database.db, response.networkId);
  const { key, lookup } = await evidenceKeys(database.db, keyring, { organization_id: response.networkId, key_version: version });
  const storeId = randomUUID();
  await store.createUpload({ id: storeId, length, keyVersion: version });
  try {
    const status = await store.appendChunk(storeId, 0, stream, length, lookup).catch((error: unknown) => {
      throw asClientEvidenceError(error);
    });
    if (!status.complete) throw new AppError('BAD_REQUEST', `The document ended after ${status.offset} of the ${length} bytes declared.`);
    const summary = await store.finish(storeId, lookup);
    const verdict = await inspectType(summary.head);
    if (!verdict.accepted || verdict.type.kind !== earlyKind) throw refusal(verdict.accepted ? verdict.type.mime : verdict.detectedMime);
    const { mime, kind } = verdict.type;
    if (kind === 'image') {
      const made = await makeRedactedCopy(store, { id: storeId, declared_length: length, key_version: version }, mime, key, lookup);
      if (!made.ok) {
        throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'This image could not be read to take its metadata (such as where it was taken) out; send it as a PDF or in another format.');
      }
    }
    await database.transaction(async (trx) => {
      // Locked, so two attachments racing for one response cannot both land.
      await trx.selectFrom('alert_responses').select('id').where('id', '=', response.id).forUpdate().executeTakeFirstOrThrow();
      const taken = await trx.selectFrom('alert_response_documents').select('response_id').where('response_id', '=', response.id).executeTakeFirst();
      if (taken) throw new AppError('CONFLICT', 'This response has its document already.');
      await trx
        .insertInto('alert_response_documents')
        .values({
          response_id: response.id,
          store_id: storeId,
          organization_id: response.networkId,
          key_version: version,
          mime_type: mime,
          kind: kind as 'image' | 'document',
          length: summary.length,
          sha256: summary.sha256,
          public: options.public,
          uploaded_by: actor.kind === 'user' ? actor.userId : null,
        })
        .execute();
      await appendAudit(trx, {
        ...auditSource(actor, options.context),
        organizationId: response.networkId,
        action: 'alert_response.document_attached',
        subjectType: 'alert_response',
        subjectId: response.id,
        details: { sha256: summary.sha256, length: summary.length, mimeType: mime, public: options.public },
      });
    });
    return { mimeType: mime, length: summary.length, sha256: summary.sha256, public: options.public };
  } catch (error) {
    await removeRefused(store, storeId);
    throw error;
  }
}

async function openDocument(database: Database, keyring: Keyring, store: EvidenceStore, responseId: string, addresseeCode: string, receivedOn: string, publicOnly: boolean) {
  const row = await database.db.selectFrom('alert_response_documents').selectAll().where('response_id', '=', responseId).executeTakeFirst();
  if (!row || (publicOnly && !row.public)) throw new AppError('NOT_FOUND', 'This response has no document to show.');
  const { lookup } = await evidenceKeys(database.db, keyring, row);
  const stream = row.kind === 'image' ? await store.openDerived(row.store_id, REDACTED_COPY, lookup) : await store.openOriginal(row.store_id, lookup);
  // The copy of an image is re-encoded in its own format; the name says whose answer it is and when.
  const extension = row.mime_type === 'application/pdf' ? 'pdf' : (row.mime_type.split('/')[1] ?? 'bin').replace(/[^a-z0-9]/g, '');
  const fileName = `respuesta-${addresseeCode.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${receivedOn}.${extension}`;
  return { row, opened: { stream, mimeType: row.mime_type, fileName } };
}

/**
 * The document of a response, for a member of the alert's network. Each download is an
 * `alert_response.document_downloaded` audit entry, written before the first byte leaves.
 */
export async function downloadAlertResponseDocument(options: {
  database: Database;
  keyring: Keyring;
  store: EvidenceStore;
  actor: Actor;
  responseId: string;
  context?: RequestContext;
}): Promise<OpenedResponseDocument> {
  const { database, actor } = options;
  const response = await responseOf(database, actor, options.responseId, 'read');
  const { row, opened } = await openDocument(database, options.keyring, options.store, response.id, response.addressee_code, response.received_on, false);
  try {
    await database.transaction((trx) =>
      appendAudit(trx, {
        ...auditSource(actor, options.context),
        organizationId: response.networkId,
        action: 'alert_response.document_downloaded',
        subjectType: 'alert_response',
        subjectId: response.id,
        details: { sha256: row.sha256 },
      }),
    );
  } catch (error) {
    opened.stream.destroy();
    throw error;
  }
  return opened;
}

/**
 * A document marked public, of a response to a published (not withdrawn) alert, for anyone: one 404
 * for an unknown alert, a response of another alert and a document that is not public.
 */
export async function openPublicAlertResponseDocument(options: {
  database: Database;
  keyring: Keyring;
  store: EvidenceStore;
  slug: string;
  responseId: string;
}): Promise<OpenedResponseDocument> {
  const { database } = options;
  const response = isUuid(options.responseId)
    ? await database.db
        .selectFrom('alert_responses')
        .innerJoin('alert_requests', 'alert_requests.id', 'alert_responses.request_id')
        .innerJoin('alerts', 'alerts.id', 'alert_requests.alert_id')
        .select(['alert_responses.id', 'alert_responses.received_on', 'alert_requests.addressee_code'])
        .where('alert_responses.id', '=', options.responseId)
        .where('alerts.slug', '=', options.slug)
        .where('alerts.status', '=', 'published')
        .where('alerts.published_version', 'is not', null)
        .executeTakeFirst()
    : undefined;
  if (!response) throw new AppError('NOT_FOUND', 'This response has no document to show.');
  return (await openDocument(database, options.keyring, options.store, response.id, response.addressee_code, response.received_on, true)).opened;
}
