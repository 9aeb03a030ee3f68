import fs from 'node:fs';
import path from 'node:path';
import { parseTriageLexicon, type TriageLexicon } from '../domain/triage/lexicon.js';
import { REFERENCE_DATA_DIR } from '../server/paths.js';

/** The lexicon's file name in the reference data folder, next to the vocabularies it suggests terms of. */
export const TRIAGE_LEXICON_FILE = 'triage-lexicon.json';

/**
 * Reads and validates the triage lexicon. Kept apart from the pure matcher so that tests and other callers
 * can hand it a lexicon from anywhere; a malformed file fails here, at start, with the field that is wrong.
 */
export function readTriageLexicon(dir: string = REFERENCE_DATA_DIR): TriageLexicon {
  const file = path.join(dir, TRIAGE_LEXICON_FILE);
  return parseTriageLexicon(JSON.parse(fs.readFileSync(file, 'utf8')) as unknown);
}
