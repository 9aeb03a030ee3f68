import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../src/db/client.js';
import { prepareDatabase } from '../src/db/bootstrap.js';

/**
 * Creating an embedded database costs seconds; loading a dump of one costs about one. So the suite
 * prepares one migrated database with reference data once, dumps it, and every test file starts from
 * a copy of that dump (see test/db.ts).
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigia-test-template-'));
  const database = await openDatabase({ engine: 'pglite' });
  try {
    await prepareDatabase(database);
    const dump = await database.pglite!.dumpDataDir('none');
    const file = path.join(dir, 'pglite-template.tar');
    fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
    project.provide('pgliteTemplate', file);
  } finally {
    await database.close();
  }
  return () => fs.rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}
