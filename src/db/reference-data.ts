import type { Database } from './client.js';

// PLACEHOLDER — being written by the reference-data helper.
export interface ReferenceLoadResult {
  loaded: string[];
  skipped: string[];
}
export async function loadReferenceData(_database: Database): Promise<ReferenceLoadResult> {
  return { loaded: [], skipped: [] };
}
