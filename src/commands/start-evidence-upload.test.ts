import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { testConfig } from '../../test/config.js';
import { describeEachEngine, type TestDatabase } from '../../test/db.js';
import { insertIncident } from '../../test/incidents.js';
import { insertOrganization, insertUser, userActor } from '../../test/organizations.js';
import { Keyring } from '../crypto/keyring.js';
import { loadMasterKeys } from '../crypto/master-keys.js';
import { EvidenceStore } from '../evidence/evidence-store.js';
import { isEvidenceError } from '../evidence/errors.js';
import { startEvidenceUpload } from './start-evidence-upload.js';

describeEachEngine('startEvidenceUpload', (getDatabase) => {
  let database: TestDatabase;
  let keyring: Keyring;
  let incidentId: string;
  let actor: ReturnType<typeof userActor>;
  const config = testConfig();

  beforeAll(async () => {
    database = getDatabase();
    keyring = new Keyring(loadMasterKeys(config));
    const organizationId = (await insertOrganization(database)).id;
    incidentId = (await insertIncident(database, { organizationId })).id;
    actor = userActor(await insertUser(database, { memberships: { [organizationId]: ['documenter'] } }), { [organizationId]: ['documenter'] });
  });


  it('creates the row, its audit entry and the sealed upload together', async () => {
    const store = new EvidenceStore(join(config.dataDir, 'evidence-ok'));
    const started = await startEvidenceUpload({ database, keyring, store, maxBytes: 1000, actor, incidentId, length: 10, fileName: 'nombre.jpg' });
    expect(await store.status(started.id)).toEqual({ offset: 0, length: 10, complete: false });
    const row = await database.db.selectFrom('evidence').selectAll().where('id', '=', started.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'uploading', declared_length: 10, key_version: 1 });
    expect(row.sealed).toMatch(/^s1\.1\./);
    expect(JSON.stringify(row)).not.toContain('nombre.jpg');
    const entry = await database.db.selectFrom('audit_log').selectAll().where('subject_id', '=', started.id).executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ action: 'evidence.upload_started', subject_type: 'evidence', details: { incidentId, length: 10 } });
  });

  it('commits nothing when the store cannot create the upload', async () => {
    const blocked = join(config.dataDir, 'not-a-directory');
    writeFileSync(blocked, 'a file where the store root should be');
    const before = await database.db.selectFrom('evidence').select('id').where('incident_id', '=', incidentId).execute();
    const error = await startEvidenceUpload({ database, keyring, store: new EvidenceStore(join(blocked, 'evidence')), maxBytes: 1000, actor, incidentId, length: 10 }).catch((e: unknown) => e);
    expect(isEvidenceError(error, 'STORAGE_FAILURE'), String(error)).toBe(true);
    const after = await database.db.selectFrom('evidence').select('id').where('incident_id', '=', incidentId).execute();
    expect(after.length).toBe(before.length);
    const started = await database.db.selectFrom('audit_log').select('subject_id').where('action', '=', 'evidence.upload_started').execute();
    expect(started.map((e) => e.subject_id).filter((id) => !before.some((b) => b.id === id))).toEqual([]);
  });
});
