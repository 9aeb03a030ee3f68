import { apiRequest } from './client';

/** An alert's requests to the authorities (GET /api/v1/alerts/:id/requests), as the workspace follows them up. */
export type RequestChannel = 'official_letter' | 'email' | 'in_person' | 'platform' | 'other';
export const REQUEST_CHANNELS: readonly RequestChannel[] = ['official_letter', 'email', 'in_person', 'platform', 'other'];

export interface ResponseDocument {
  mimeType: string;
  length: number;
  sha256: string;
  public: boolean;
}

export interface AlertResponse {
  id: string;
  receivedOn: string;
  summary: string;
  documentText: string | null;
  recordedAt: string;
  document: ResponseDocument | null;
}

export interface AlertRequest {
  id: string;
  addresseeCode: string;
  addresseeName: { es: string; en: string };
  stateCode: string | null;
  sentOn: string;
  channel: RequestChannel;
  dueOn: string;
  overdue: boolean;
  responses: AlertResponse[];
}

const request = (id: string) => `/alert-requests/${encodeURIComponent(id)}`;
const responseDocument = (id: string) => `/alert-responses/${encodeURIComponent(id)}/document`;

export const followUpApi = {
  requests: (alertId: string, signal?: AbortSignal) => apiRequest<{ data: AlertRequest[] }>(`/alerts/${encodeURIComponent(alertId)}/requests`, { signal }),
  updateRequest: (id: string, sentOn: string, channel: RequestChannel) => apiRequest<undefined>(request(id), { method: 'PATCH', body: { sentOn, channel } }),
  recordResponse: (id: string, receivedOn: string, summary: string, documentText: string | null) =>
    apiRequest<{ id: string }>(`${request(id)}/responses`, { method: 'POST', body: { receivedOn, summary, documentText } }),
  /** The file goes as it is; the server reads its type from its bytes, so the header only gets it past the parser. */
  attachDocument: (responseId: string, file: File, isPublic: boolean) =>
    apiRequest<ResponseDocument>(`${responseDocument(responseId)}?public=${isPublic}`, {
      method: 'PUT',
      raw: { bytes: file, headers: { 'content-type': file.type === 'application/pdf' || file.type.startsWith('image/') ? file.type : 'application/octet-stream' } },
    }),
  /** Where the browser downloads a response's document (a plain link: the session cookie goes with it). */
  documentUrl: (responseId: string) => `/api/v1${responseDocument(responseId)}`,
};
