import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/db.js';
import { insertOrganization } from '../../test/organizations.js';
import type { Database } from '../db/client.js';
import { Keyring } from './keyring.js';
import { parseMasterKey, type MasterKeys } from './master-keys.js';
import { SealError } from './envelope.js';

const oldMaster = parseMasterKey(Buffer.alloc(32, 1).toString('base64'), 'test');
const newMaster = parseMasterKey(Buffer.alloc(32, 2).toString('base64'), 'test');
const keys = (current = oldMaster, previous: MasterKeys['previous'] = []): MasterKeys => ({ current, previous });

describeEachEngine('keyring', (getDatabase) => {
  let database: Database;
  let orgA: string;
  let orgB: string;
  beforeAll(async () => {
    database = getDatabase();
    orgA = (await insertOrganization(database)).id;
    orgB = (await insertOrganization(database)).id;
  });

  it('seals with a key of the organization and opens only in the same organization and place', async () => {
    const keyring = new Keyring(keys());
    const secret = { name: 'Hermana Rosa Martínez', phone: '+52 55 1234 5678' };
    const sealed = await keyring.sealJson(database.db, orgA, 'incident:1', secret);
    expect(sealed).toMatch(/^s1\.1\./);
    expect(sealed).not.toContain('Rosa');
    expect(await keyring.openJson(database.db, orgA, 'incident:1', sealed)).toEqual(secret);
    // A fresh process (empty cache) opens it from the wrapped key in the database.
    expect(await new Keyring(keys()).openJson(database.db, orgA, 'incident:1', sealed)).toEqual(secret);
    await expect(keyring.openJson(database.db, orgA, 'incident:2', sealed)).rejects.toBeInstanceOf(SealError);
    await expect(keyring.openJson(database.db, orgB, 'incident:1', sealed)).rejects.toBeInstanceOf(SealError);
    await expect(keyring.openJson(database.db, orgA, 'incident:1', `${sealed.slice(0, -4)}AAAA`)).rejects.toBeInstanceOf(SealError);
  });

  it('keeps the stored data key wrapped, never in plain form', async () => {
    const org = (await insertOrganization(database)).id;
    const keyring = new Keyring(keys());
    const { key } = await keyring.currentKey(database.db, org);
    const row = await database.db.selectFrom('organization_keys').selectAll().where('organization_id', '=', org).executeTakeFirstOrThrow();
    expect(Buffer.from(row.wrapped_key, 'base64').includes(key)).toBe(false);
    expect(row.master_key_id).toBe(oldMaster.id);
  });

  it('rotates the master key: previous keys still open until everything is re-wrapped, then only the new one is needed', async () => {
    const org = (await insertOrganization(database)).id;
    const context = `report:${randomUUID()}`;
    const sealed = await new Keyring(keys()).sealJson(database.db, org, context, { contact: 'señal: +52 1 222' });

    // The new key alone cannot unwrap yet, and says which key is missing.
    await expect(new Keyring(keys(newMaster)).openJson(database.db, org, context, sealed)).rejects.toThrow(
      `master key ${oldMaster.id}, which is not configured`,
    );
    const during = new Keyring(keys(newMaster, [oldMaster]));
    expect(await during.openJson(database.db, org, context, sealed)).toEqual({ contact: 'señal: +52 1 222' });
    const result = await during.rewrapAll(database.db);
    expect(result.rewrapped).toBeGreaterThanOrEqual(1);
    expect((await during.rewrapAll(database.db)).rewrapped).toBe(0);

    const after = new Keyring(keys(newMaster));
    expect(await after.openJson(database.db, org, context, sealed)).toEqual({ contact: 'señal: +52 1 222' });

    // A new data key version seals what comes next; the old version still opens what it sealed.
    await after.addDataKeyVersions(database.db);
    const newer = await after.sealJson(database.db, org, context, { contact: 'otro' });
    expect(newer).toMatch(/^s1\.2\./);
    expect(await after.openJson(database.db, org, context, sealed)).toEqual({ contact: 'señal: +52 1 222' });
  });
});
