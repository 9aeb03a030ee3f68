/*
 * What the import page does with the files it is given and the report it gets back, apart from React:
 * reading the mapping and naming what the server refused in it. The problems are written as CSV by
 * `problemsCsv` in domain/csv.ts, as the command line writes them.
 */

/** The mapping file read as JSON, or why it cannot be sent: not JSON at all, or not a JSON object. */
export type MappingFile = { ok: true; mapping: Record<string, unknown> } | { ok: false; problem: 'notJson'; reason: string } | { ok: false; problem: 'notObject' };

export function readMapping(text: string): MappingFile {
  let value: unknown;
  try {
    // A file saved by a Windows editor may start with a byte-order mark, which JSON does not allow.
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return { ok: false, problem: 'notJson', reason: error instanceof Error ? error.message : String(error) };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, problem: 'notObject' };
  return { ok: true, mapping: value as Record<string, unknown> };
}

/**
 * The server's objections to the mapping, one per field as the mapping names it (`startDate.format`),
 * from the 400 details it gives (`mapping.startDate.format`); the rest are not about the mapping.
 */
export function mappingProblems(details: ReadonlyArray<{ field: string; message: string }>): string[] {
  return details
    .filter((d) => d.field === 'mapping' || d.field.startsWith('mapping.'))
    .map((d) => {
      const field = d.field.replace(/^mapping\.?/, '');
      return field ? `${field}: ${d.message}` : d.message;
    });
}
