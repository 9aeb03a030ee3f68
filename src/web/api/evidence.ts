import { apiRequest } from './client';

/*
 * Evidence on an incident: the resumable chunked upload (tus-like, see the server's UPLOAD_PROTOCOL),
 * the list, and the chain of custody, typed after src/presenters/evidence.presenter.ts.
 */

export type EvidenceStatus = 'uploading' | 'complete' | 'refused';
export type EvidenceKind = 'image' | 'video' | 'audio' | 'document';

export interface EvidenceItem {
  id: string;
  status: EvidenceStatus;
  mimeType: string | null;
  kind: EvidenceKind | null;
  length: number;
  sha256: string | null;
  receivedAt: string | null;
  hasRedactedCopy: boolean;
  fileName: string | null;
  uploadedBy: string | null;
}

export interface CustodyEvent {
  at: string;
  action: string;
  actorType: 'user' | 'api_token' | 'anonymous' | 'system';
  actorId: string | null;
  actorName?: string;
  seq: number;
  hash: string;
}

export interface EvidenceCustody {
  evidence: {
    id: string;
    sha256: string | null;
    length: number;
    mimeType: string | null;
    receivedAt: string | null;
    uploadedBy: string | null;
  };
  events: CustodyEvent[];
}

/** The media type of a chunk, as in tus: raw bytes placed at an offset. */
export const CHUNK_CONTENT_TYPE = 'application/offset+octet-stream';

const evidence = (id: string) => `/evidence/${encodeURIComponent(id)}`;

export const evidenceApi = {
  list: (incidentId: string, signal?: AbortSignal) =>
    apiRequest<{ data: EvidenceItem[] }>(`/incidents/${encodeURIComponent(incidentId)}/evidence`, { signal }),
  start: (incidentId: string, length: number, fileName?: string) =>
    apiRequest<{ id: string; offset: number; length: number; status: EvidenceStatus }>(
      `/incidents/${encodeURIComponent(incidentId)}/evidence`,
      { method: 'POST', body: fileName ? { length, fileName } : { length } },
    ),
  uploadState: (id: string) => apiRequest<{ offset: number; length: number; status: EvidenceStatus }>(`${evidence(id)}/upload`),
  sendChunk: (id: string, offset: number, bytes: Blob) =>
    apiRequest<{ offset: number; status: EvidenceStatus }>(`${evidence(id)}/upload`, {
      method: 'PATCH',
      raw: { bytes, headers: { 'content-type': CHUNK_CONTENT_TYPE, 'upload-offset': String(offset) } },
    }),
  custody: (id: string, signal?: AbortSignal) => apiRequest<EvidenceCustody>(`${evidence(id)}/custody`, { signal }),
  /** Same-origin addresses the browser loads itself (an <img>, a download link). */
  contentUrl: (id: string) => `/api/v1${evidence(id)}/content`,
  originalUrl: (id: string) => `/api/v1${evidence(id)}/original`,
};
