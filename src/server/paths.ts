import path from 'node:path';
import { fileURLToPath } from 'node:url';

// This file sits two levels below the package root both as source (src/server) and built (dist/server).
const here = path.dirname(fileURLToPath(import.meta.url));

/** The installed package's root folder. */
export const PACKAGE_ROOT = path.resolve(here, '..', '..');
/** The browser app as built by `vite build`. */
export const WEB_DIST_DIR = path.join(PACKAGE_ROOT, 'dist', 'web');
/** Reference data shipped with Vigía (states, municipalities, vocabularies) and their licence notices. */
export const REFERENCE_DATA_DIR = path.join(PACKAGE_ROOT, 'data', 'reference');
