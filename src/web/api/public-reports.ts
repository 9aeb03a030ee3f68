import { apiRequest } from './client';

/*
 * The public reporting endpoints (anyone, no account), typed after the contract agreed with the
 * server side. Every call omits cookies: a report or a receipt look-up must not carry the session of
 * someone who is also signed in on this browser, or the anonymous report would not be anonymous.
 */

export type DatePrecision = 'day' | 'month' | 'approximate';

/** A public report as the server takes it, without the proof of work and receipt secret added at sending. */
export interface ReportContent {
  /** Which network receives it; left out when the server names only one. */
  organizationId?: string;
  whatHappened: string;
  /** Month precision: `date` is the first of the month. Null when the reporter does not know. */
  when: { date: string; precision: DatePrecision } | null;
  where: { stateCode: string | null; municipalityCode: string | null; placeType: string | null; shelterName: string };
  who: { perpetratorType: string | null; description: string };
  contact: string;
  consent: { mayContact: boolean; mayPublish: boolean };
}

export interface ReportRequestBody extends ReportContent {
  pow: { challenge: string; nonce: string };
  /** 32 random bytes, base64url (43 characters), chosen by this device; the receipt's second half. */
  receiptSecret: string;
}

export interface SubmittedReport {
  receiptCode: string;
  status: 'received';
  submittedAt: string;
}

export type ReportStatus = 'received' | 'in_review' | 'documented' | 'needs_information' | 'closed';

export interface ReportStatusAnswer {
  receiptCode: string;
  status: ReportStatus;
  submittedAt: string;
  updatedAt: string;
  /** The documenter's question while the status is needs_information. */
  question: string | null;
  additions: Array<{ at: string }>;
}

export interface IntakeOrganization {
  id: string;
  name: string;
}

export interface PowChallengeAnswer {
  challenge: string;
  bits: number;
  expiresAt: string;
}

const PUBLIC = { credentials: 'omit' } as const;

/** The media type of a chunk, as in tus: raw bytes placed at an offset. */
const CHUNK_CONTENT_TYPE = 'application/offset+octet-stream';

export interface AttachmentState {
  offset: number;
  length: number;
  status: 'uploading' | 'complete' | 'refused';
}

const attachment = (id: string) => `/public/attachments/${encodeURIComponent(id)}`;

export const publicReportsApi = {
  intake: (signal?: AbortSignal) =>
    apiRequest<{ organizations: IntakeOrganization[] }>('/public/intake', { ...PUBLIC, signal }),
  challenge: () => apiRequest<PowChallengeAnswer>('/public/reports/challenges', { ...PUBLIC, method: 'POST' }),
  /** 201 the first time, 200 with the same receipt when the key was already used: a retry never duplicates. */
  submit: (idempotencyKey: string, body: ReportRequestBody) =>
    apiRequest<SubmittedReport>('/public/reports', {
      ...PUBLIC,
      method: 'POST',
      headers: { 'idempotency-key': idempotencyKey },
      body,
    }),
  // The secret travels in a POST body, never in an address: addresses end up in histories and logs.
  /** A file sent with a report: opened with the receipt, then sent in chunks with the secret in a header, never in the address. */
  startAttachment: (receiptCode: string, secret: string, length: number) =>
    apiRequest<{ id: string; offset: number; length: number }>('/public/reports/attachments', {
      ...PUBLIC,
      method: 'POST',
      body: { receiptCode, secret, length },
    }),
  attachmentState: (id: string, secret: string) =>
    apiRequest<AttachmentState>(attachment(id), { ...PUBLIC, headers: { 'x-receipt-secret': secret } }),
  sendAttachmentChunk: (id: string, secret: string, offset: number, bytes: Blob) =>
    apiRequest<AttachmentState>(attachment(id), {
      ...PUBLIC,
      method: 'PATCH',
      raw: { bytes, headers: { 'content-type': CHUNK_CONTENT_TYPE, 'upload-offset': String(offset), 'x-receipt-secret': secret } },
    }),
  status: (receiptCode: string, secret: string) =>
    apiRequest<ReportStatusAnswer>('/public/reports/status', { ...PUBLIC, method: 'POST', body: { receiptCode, secret } }),
  addInformation: (receiptCode: string, secret: string, text: string) =>
    apiRequest<{ at: string }>('/public/reports/additions', {
      ...PUBLIC,
      method: 'POST',
      body: { receiptCode, secret, text },
    }),
};

export interface ReferenceState {
  code: string;
  name: string;
}

export interface ReferenceMunicipality {
  cvegeo: string;
  name: string;
}

export interface ReferenceTerm {
  code: string;
  label: string;
  description: string | null;
}

/** The reference lists the report form offers, labelled in the reader's language. */
export const referenceApi = {
  states: (lang: string, signal?: AbortSignal) =>
    apiRequest<{ data: ReferenceState[] }>(`/reference/states?lang=${lang}`, { ...PUBLIC, signal }),
  municipalities: (stateCode: string, signal?: AbortSignal) =>
    apiRequest<{ data: ReferenceMunicipality[] }>(`/reference/municipalities?state=${encodeURIComponent(stateCode)}`, {
      ...PUBLIC,
      signal,
    }),
  vocabulary: (name: 'place_types' | 'perpetrator_types' | 'act_types' | 'victim_characteristics', lang: string, signal?: AbortSignal) =>
    apiRequest<{ data: { terms: ReferenceTerm[] } }>(`/reference/vocabularies/${name}?lang=${lang}`, { ...PUBLIC, signal }),
};
