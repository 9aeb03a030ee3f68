import fs from 'node:fs';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { testConfig } from '../../test/config.js';
import { captureStdout } from '../../test/stdout.js';
import { appendAudit } from '../audit/audit-log.js';
import { prepareDatabase } from '../db/bootstrap.js';
import { openConfiguredDatabase } from '../db/client.js';
import type { Config } from '../server/config.js';
import { auditCheckpoint, auditVerify } from './audit.command.js';
import { CliError } from './cli-error.js';

describe('vigia audit (embedded database in a data directory)', () => {
  let config: Config;

  beforeAll(async () => {
    config = testConfig();
    const database = await openConfiguredDatabase(config);
    try {
      await prepareDatabase(database);
      for (const action of ['auth.sign_in.succeeded', 'membership.role_changed', 'export.created'] as const) {
        await database.transaction((trx) => appendAudit(trx, { actorType: 'user', actorId: 'u_1', action }));
      }
    } finally {
      await database.close();
    }
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  afterAll(() => {
    fs.rmSync(config.dataDir, { recursive: true, force: true });
  });

  it('checkpoint prints the head and how to use it; verify confirms the chain and the checkpoint', async () => {
    const checkpointOut = captureStdout();
    await auditCheckpoint(config);
    const printed = checkpointOut.text();
    const hash = /^Hash: ([0-9a-f]{64})$/m.exec(printed)?.[1];
    expect(printed).toMatch(/^Audit log head: entry #3 at \d{4}-\d\d-\d\dT/m);
    expect(hash).toBeDefined();
    expect(printed).toContain(`vigia audit verify --checkpoint 3:${hash}`);

    const verifyOut = captureStdout();
    await auditVerify(config, { checkpoint: `3:${hash}` });
    expect(verifyOut.text()).toBe(`Audit log intact: 3 entries.\nHead hash: ${hash}\nCheckpoint #3 matches.\n`);
  });

  it('refuses a checkpoint it cannot read', async () => {
    await expect(auditVerify(config, { checkpoint: '3:nothex' })).rejects.toThrow(/--checkpoint must be <seq>:<hash>/);
  });

  it('verify names the first broken entry and fails once the log was tampered with', async () => {
    const database = await openConfiguredDatabase(config);
    try {
      await database.transaction(async (trx) => {
        await sql`set local session_replication_role = replica`.execute(trx);
        await sql`update audit_log set action = 'auth.sign_out' where seq = 2`.execute(trx);
      });
    } finally {
      await database.close();
    }
    const out = captureStdout();
    const failure = auditVerify(config);
    await expect(failure).rejects.toBeInstanceOf(CliError);
    await expect(failure).rejects.toThrow(/first broken entry #2 \(entry_edited\)/);
    expect(out.text()).toContain('Audit log BROKEN at entry #2 (entry_edited)');
    expect(out.text()).toContain('1 entries before it are intact.');
  });
});
