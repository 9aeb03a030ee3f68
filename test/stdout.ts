import { vi } from 'vitest';

/** Captures what a CLI command prints; undo with `vi.restoreAllMocks()`. */
export function captureStdout(): { text: () => string } {
  const chunks: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  return { text: () => chunks.join('') };
}
