import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { appendAudit, auditCheckpoint, verifyAuditChain } from '../audit/audit-log.js';
import { generateMasterKeyText, parseMasterKey, type MasterKeys } from '../crypto/master-keys.js';
import type { Database } from '../db/client.js';
import { createTestDatabase, TEST_ENGINES, type TestDatabase } from '../../test/db.js';
import { insertIncident } from '../../test/incidents.js';
import { insertAlert } from '../../test/alerts.js';
import { insertOrganization, insertUser } from '../../test/organizations.js';
import { createBackup, restoreBackup, RestoreRefused, verifyBackup } from './backup.js';
import { BackupFileError, SEGMENT_BYTES } from './sealed-file.js';
import { tablesInForeignKeyOrder } from './snapshot.js';

const keys: MasterKeys = { current: parseMasterKey(generateMasterKeyText(), 'test'), previous: [] };
const otherKeys: MasterKeys = { current: parseMasterKey(generateMasterKeyText(), 'test'), previous: [] };

const opened: TestDatabase[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((d) => d.dispose()));
});
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

async function freshDatabase(engine: Database['engine']): Promise<TestDatabase> {
  const database = await createTestDatabase(engine);
  opened.push(database);
  return database;
}

function evidenceDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigia-backup-test-'));
  dirs.push(dir);
  return path.join(dir, 'evidence');
}

/** Some of everything: organizations, people, incidents, alerts, audit entries, sequences and files. */
async function populate(database: Database, evidence: string): Promise<void> {
  const shelter = await insertOrganization(database);
  const network = await insertOrganization(database, { kind: 'network' });
  const userId = await insertUser(database, { memberships: { [shelter.id]: ['documenter'] } });
  for (let i = 0; i < 3; i += 1) {
    const incident = await insertIncident(database, { organizationId: shelter.id, title: `Incidente ${i} «ñ» 'quote' \\ "x"` });
    await database.transaction((trx) =>
      appendAudit(trx, { actorType: 'user', actorId: userId, organizationId: shelter.id, action: 'incident.created', subjectType: 'incident', subjectId: incident.id }),
    );
  }
  await insertAlert(database, { networkId: network.id });
  await database.db.insertInto('outbox_jobs').values({ kind: 'test.backup', payload: JSON.stringify({ n: 1 }), max_attempts: 5, run_at: new Date() }).execute();
  // Files as the evidence store keeps them: ciphertext in per-upload directories; a hidden temporary is not data.
  for (const id of ['upload-aaaaaaaa', 'upload-bbbbbbbb']) {
    fs.mkdirSync(path.join(evidence, id, 'derived'), { recursive: true });
    fs.writeFileSync(path.join(evidence, id, 'original.seal'), randomBytes(SEGMENT_BYTES + 1234));
    fs.writeFileSync(path.join(evidence, id, 'derived', 'redacted.seal'), randomBytes(777));
    fs.writeFileSync(path.join(evidence, id, 'state.json'), '{"format":1}');
  }
  fs.writeFileSync(path.join(evidence, '.partial.tmp'), 'half written');
}

/** Every row of every table (as text, sorted) and every sequence: two instances are identical if these are. */
async function contents(database: Database): Promise<Record<string, string[]>> {
  return database.transaction(async (trx) => {
    const out: Record<string, string[]> = {};
    for (const table of await tablesInForeignKeyOrder(trx)) {
      const { rows } = await sql.raw<{ j: string }>(`select to_jsonb(r)::text as j from "${table.name}" r order by 1`).execute(trx);
      out[table.name] = rows.map((r) => r.j);
    }
    const sequences = await sql<{ relname: string }>`select relname from pg_class where relkind = 'S' and relnamespace = current_schema()::regnamespace`.execute(trx);
    for (const { relname } of sequences.rows) {
      const { rows } = await sql.raw<{ v: string }>(`select last_value::text || '/' || is_called::text as v from "${relname}"`).execute(trx);
      out[`sequence ${relname}`] = rows.map((r) => r.v);
    }
    return out;
  });
}

function fileHashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (!entry.name.startsWith('.')) out[path.relative(dir, p)] = createHash('sha256').update(fs.readFileSync(p)).digest('hex');
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out;
}

async function backupToBuffer(database: Database, evidence: string, masterKeys = keys): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await createBackup({ database, evidenceDir: evidence, masterKey: masterKeys.current, sink: async (c) => void chunks.push(c) });
  return Buffer.concat(chunks);
}

async function* fromBuffer(buffer: Buffer): AsyncGenerator<Buffer> {
  for (let i = 0; i < buffer.length; i += 65536) yield buffer.subarray(i, i + 65536);
}

async function auditEntries(database: Database): Promise<number> {
  const row = await database.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

for (const from of TEST_ENGINES) {
  for (const to of TEST_ENGINES) {
    describe(`backup ${from} → restore ${to}`, () => {
      it('restores every record, sequence, evidence file and the audit chain identically', { timeout: 120_000 }, async () => {
        const source = await freshDatabase(from);
        const sourceEvidence = evidenceDir();
        await populate(source, sourceEvidence);
        const file = await backupToBuffer(source, sourceEvidence);
        expect(file.includes(Buffer.from('Incidente 1'))).toBe(false);
        expect((await verifyBackup(fromBuffer(file), keys)).files).toBe(6);

        const target = await freshDatabase(to);
        const targetEvidence = evidenceDir();
        const summary = await restoreBackup({ database: target, evidenceDir: targetEvidence, masterKeys: keys, source: fromBuffer(file) });

        expect(summary.rows['incidents']).toBe(3);
        expect(await contents(target)).toEqual(await contents(source));
        expect(fileHashes(targetEvidence)).toEqual(fileHashes(sourceEvidence));
        expect(Object.keys(fileHashes(targetEvidence))).toHaveLength(6);
        const verified = await verifyAuditChain(target);
        expect(verified.ok).toBe(true);
        expect((await auditCheckpoint(target)).hash).toBe((await auditCheckpoint(source)).hash);
        // The restored instance goes on working: sequences continue, the chain takes new entries.
        await target.transaction((trx) => appendAudit(trx, { actorType: 'system', action: 'backup.tested' }));
        expect((await verifyAuditChain(target)).ok).toBe(true);
      });
    });
  }
}

for (const engine of TEST_ENGINES) {
  describe(`backup refusals [${engine}]`, () => {
    it('refuses a tampered, truncated or extended file, or one under another master key, restoring nothing', { timeout: 120_000 }, async () => {
      const source = await freshDatabase(engine);
      const sourceEvidence = evidenceDir();
      await populate(source, sourceEvidence);
      const file = await backupToBuffer(source, sourceEvidence);
      const target = await freshDatabase(engine);
      const targetEvidence = evidenceDir();
      const restore = (bytes: Buffer, masterKeys = keys) =>
        restoreBackup({ database: target, evidenceDir: targetEvidence, masterKeys, source: fromBuffer(bytes) });

      const tampered = Buffer.from(file);
      tampered[Math.floor(file.length / 2)]! ^= 0x01;
      await expect(restore(tampered)).rejects.toThrow(/altered or damaged/);
      await expect(restore(file.subarray(0, file.length - 100))).rejects.toThrow(/truncated/);
      await expect(restore(file.subarray(0, SEGMENT_BYTES + 200))).rejects.toThrow(/truncated/);
      await expect(restore(Buffer.concat([file, Buffer.from('x')]))).rejects.toThrow(/after its end/);
      await expect(restore(Buffer.from('not a backup at all'))).rejects.toThrow(/not a Vigía backup/);
      await expect(restore(file, otherKeys)).rejects.toThrow(BackupFileError);
      await expect(restore(file, otherKeys)).rejects.toThrow(/encrypted under master key .* configured master key/);

      expect(await auditEntries(target)).toBe(0);
      expect(fs.existsSync(targetEvidence)).toBe(false);
      expect(fs.readdirSync(path.dirname(targetEvidence))).toEqual([]);
      // Afterwards the intact file still restores into the same target.
      await restore(file);
      expect(await auditEntries(target)).toBe(3);
    });

    it('refuses a target that already holds data, or evidence, changing nothing', { timeout: 120_000 }, async () => {
      const source = await freshDatabase(engine);
      const sourceEvidence = evidenceDir();
      await populate(source, sourceEvidence);
      const file = await backupToBuffer(source, sourceEvidence);

      const used = await freshDatabase(engine);
      await insertOrganization(used);
      const before = await contents(used);
      await expect(
        restoreBackup({ database: used, evidenceDir: evidenceDir(), masterKeys: keys, source: fromBuffer(file) }),
      ).rejects.toThrow(RestoreRefused);
      expect(await contents(used)).toEqual(before);

      const target = await freshDatabase(engine);
      const filled = evidenceDir();
      fs.mkdirSync(filled);
      fs.writeFileSync(path.join(filled, 'something'), 'x');
      await expect(
        restoreBackup({ database: target, evidenceDir: filled, masterKeys: keys, source: fromBuffer(file) }),
      ).rejects.toThrow(/evidence store .* is not empty/);
      expect(await auditEntries(target)).toBe(0);
    });

    it('takes a consistent snapshot while writes happen: no half of a transaction', { timeout: 120_000 }, async () => {
      const source = await freshDatabase(engine);
      const sourceEvidence = evidenceDir();
      await populate(source, sourceEvidence);
      // Each write is one transaction of two rows: an organization and the audit entry naming it.
      let writing = true;
      const writes = (async () => {
        let n = 0;
        while (writing || n < 5) {
          await source.transaction(async (trx) => {
            const org = await trx.insertInto('organizations').values({ slug: `org-${randomBytes(6).toString('hex')}`, name: 'Org', kind: 'shelter' }).returning('id').executeTakeFirstOrThrow();
            await appendAudit(trx, { actorType: 'system', action: 'organization.created', subjectType: 'organization', subjectId: org.id });
          });
          n += 1;
          // Requests reach a server through I/O; on the embedded engine a query settles without it.
          await new Promise((resolve) => setImmediate(resolve));
        }
        return n;
      })();
      await new Promise((resolve) => setTimeout(resolve, 50));
      let file: Buffer;
      try {
        file = await backupToBuffer(source, sourceEvidence);
      } finally {
        writing = false;
      }
      const written = await writes;

      const target = await freshDatabase(engine);
      await restoreBackup({ database: target, evidenceDir: evidenceDir(), masterKeys: keys, source: fromBuffer(file) });
      const orgs = await target.db.selectFrom('organizations').select('id').execute();
      const created = await target.db.selectFrom('audit_log').select('subject_id').where('action', '=', 'organization.created').execute();
      const orgIds = new Set(orgs.map((o) => o.id));
      expect(created.every((c) => orgIds.has(c.subject_id!))).toBe(true);
      // Every organization written by the loop has its audit entry and vice versa (the populate step adds two without).
      expect(orgs.length - 2).toBe(created.length);
      expect(created.length).toBeLessThan(written + 1);
      expect((await verifyAuditChain(target)).ok).toBe(true);
    });
  });
}
