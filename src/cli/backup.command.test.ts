import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { testConfig } from '../../test/config.js';
import { captureStdout } from '../../test/stdout.js';
import { appendAudit, auditCheckpoint } from '../audit/audit-log.js';
import { controlSocketPath } from '../backup/control-socket.js';
import { generateMasterKeyText } from '../crypto/master-keys.js';
import { startServer } from '../server/main.js';
import { createLogger } from '../server/logger.js';
import { auditVerify } from './audit.command.js';
import { backupCreate, backupRestore } from './backup.command.js';
import { withDatabase } from './with-database.js';

describe('vigia backup (embedded database held by a running server)', () => {
  const source = testConfig({ VIGIA_PORT: '0', VIGIA_HOST: '127.0.0.1' });
  const target = testConfig();
  const dirs = [source.dataDir, target.dataDir];
  afterEach(() => vi.restoreAllMocks());
  afterAll(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('asks the server over its 0600 socket, and the backup restores into a new data directory', { timeout: 120_000 }, async () => {
    const server = await startServer(source, createLogger(source));
    const file = path.join(source.dataDir, '..', `${path.basename(source.dataDir)}.vigiabackup`);
    dirs.push(file);
    let head: string;
    try {
      expect(fs.statSync(controlSocketPath(source.dataDir)).mode & 0o777).toBe(0o600);
      await server.database.transaction((trx) => appendAudit(trx, { actorType: 'system', action: 'backup.tested' }));
      head = (await auditCheckpoint(server.database)).hash;
      const out = captureStdout();
      await backupCreate(source, file);
      expect(out.text()).toMatch(/written by the running server, checked/);
      // While the server holds its data directory, nothing may restore into it.
      await expect(backupRestore(source, file)).rejects.toThrow(/a Vigía server is running/);
    } finally {
      await server.stop();
    }
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    await expect(backupCreate(source, file)).rejects.toThrow(/already exists/);

    await expect(backupRestore({ ...target, masterKey: { ...target.masterKey, value: generateMasterKeyText() } }, file)).rejects.toThrow(
      /cannot restore .*encrypted under master key/,
    );
    const out = captureStdout();
    await backupRestore(target, file);
    await auditVerify(target);
    expect(out.text()).toMatch(/Restored .*Audit log intact: 1 entries/s);
    await withDatabase(target, async (database) => expect((await auditCheckpoint(database)).hash).toBe(head));
    await expect(backupRestore(target, file)).rejects.toThrow(/restore refused: the target instance is not empty/);
  });
});
