import { apiFetch, ApiError, errorFromBody, errorOf } from './client.js';
import { ndjsonLines, reportFromLines, StreamedFailure, type ImportProgress, type ImportReport } from './import-stream.js';

/*
 * Importing incidents from a CSV and exporting them, typed after the server's schemas
 * (src/server/routes/imports/index.ts, the export route in routes/incidents/index.ts).
 */

export type { ImportPhase, ImportProblem, ImportProgress, ImportReport } from './import-stream.js';
export { ImportInterrupted } from './import-stream.js';

export interface ImportRequest {
  csv: string;
  mapping: unknown;
  dryRun: boolean;
  skipInvalid: boolean;
}

const NDJSON = 'application/x-ndjson';
const organization = (id: string) => `/organizations/${encodeURIComponent(id)}`;

export type ExportFormat = 'csv' | 'json' | 'esf';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'json', 'esf'];

/** A file the server sent as an attachment, with the name it gave it. */
export interface DownloadedFile {
  blob: Blob;
  filename: string;
}

export const importsApi = {
  /**
   * Imports (or, with dryRun, only checks) a CSV. Asks for progress lines; an answer in plain JSON (a
   * server or proxy that does not stream) is taken as the report.
   */
  run: async (organizationId: string, request: ImportRequest, onProgress: (progress: ImportProgress) => void): Promise<ImportReport> => {
    const response = await apiFetch(`${organization(organizationId)}/imports`, { method: 'POST', body: request, accept: `${NDJSON}, application/json;q=0.5` });
    if (!response.ok) throw await errorOf(response);
    if (!(response.headers.get('content-type') ?? '').startsWith(NDJSON) || !response.body) return (await response.json()) as ImportReport;
    try {
      return await reportFromLines(ndjsonLines(response.body), onProgress);
    } catch (error) {
      // A failure after progress began arrives as the last line: the same ApiError as any failed request.
      throw error instanceof StreamedFailure ? errorFromBody(200, error.body) : error;
    }
  },

  /** The organization's incidents as a file: the export is audited by the server before it sends a byte. */
  exportIncidents: async (organizationId: string, format: ExportFormat, redacted: boolean): Promise<DownloadedFile> => {
    const query = new URLSearchParams({ format, redacted: String(redacted) });
    const response = await apiFetch(`${organization(organizationId)}/incidents/export?${query}`, { accept: '*/*' });
    if (!response.ok) throw await errorOf(response);
    const disposition = response.headers.get('content-disposition') ?? '';
    const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `incidents.${format === 'csv' ? 'csv' : 'json'}`;
    try {
      return { blob: await response.blob(), filename };
    } catch {
      throw new ApiError(0, 'NETWORK', 'The download was interrupted', undefined, undefined, undefined);
    }
  },
};
