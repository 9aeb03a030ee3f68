import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/db.js';
import { insertOrganization, insertUser, userActor } from '../../test/organizations.js';
import { findOrganization } from '../db/repositories/organization.repository.js';
import { addNetworkMember } from './add-network-member.js';
import { createOrganization } from './create-organization.js';
import { removeNetworkMember } from './remove-network-member.js';
import { updateOrganization } from './update-organization.js';

describeEachEngine('organization commands', (getDatabase) => {
  let instanceAdmin: ReturnType<typeof userActor>;

  beforeAll(async () => {
    instanceAdmin = userActor(await insertUser(getDatabase(), { isInstanceAdmin: true }), {}, { isInstanceAdmin: true });
  });

  async function lastAudit(action: string) {
    return getDatabase().db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('seq', 'desc').executeTakeFirstOrThrow();
  }

  it('creates an organization (instance administrators only), refuses a taken slug and an unknown state', async () => {
    const database = getDatabase();
    const created = await createOrganization({ database, actor: instanceAdmin, slug: 'casa-saltillo', name: 'Casa Saltillo', kind: 'shelter', stateCode: '05' });
    expect(created).toMatchObject({ slug: 'casa-saltillo', kind: 'shelter', state_code: '05' });
    expect(await lastAudit('organization.created')).toMatchObject({ subject_id: created.id, organization_id: created.id });
    await expect(createOrganization({ database, actor: instanceAdmin, slug: 'casa-saltillo', name: 'Otra', kind: 'shelter' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(createOrganization({ database, actor: instanceAdmin, slug: 'casa-x', name: 'Casa X', kind: 'shelter', stateCode: '99' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    const orgAdmin = userActor(await insertUser(database), { [created.id]: ['administrator'] });
    await expect(createOrganization({ database, actor: orgAdmin, slug: 'casa-y', name: 'Casa Y', kind: 'shelter' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('updates settings for the organization administrator, auditing field names only', async () => {
    const database = getDatabase();
    const org = await insertOrganization(database);
    const adminId = await insertUser(database, { memberships: { [org.id]: ['administrator'] } });
    const updated = await updateOrganization({
      database,
      actor: userActor(adminId, { [org.id]: ['administrator'] }),
      organizationId: org.id,
      name: 'Albergue renombrado',
      shareWithNetworksByDefault: true,
    });
    expect(updated).toMatchObject({ name: 'Albergue renombrado', share_with_networks_by_default: true });
    const entry = await lastAudit('organization.updated');
    expect(entry.details).toEqual({ fields: ['name', 'share_with_networks_by_default'], shareWithNetworksByDefault: true });
    expect(JSON.stringify(entry.details)).not.toContain('renombrado');

    const other = await insertOrganization(database);
    const reviewer = userActor(await insertUser(database), { [org.id]: ['reviewer'] });
    await expect(updateOrganization({ database, actor: reviewer, organizationId: org.id, name: 'Nuevo' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(updateOrganization({ database, actor: reviewer, organizationId: other.id, name: 'Nuevo' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await findOrganization(database.db, other.id))?.name).not.toBe('Nuevo');
  });

  it('adds and removes network members for the network administrator, once each', async () => {
    const database = getDatabase();
    const network = await insertOrganization(database, { kind: 'network' });
    const shelter = await insertOrganization(database);
    const networkAdmin = userActor(await insertUser(database), { [network.id]: ['administrator'] });
    const options = { database, actor: networkAdmin, networkId: network.id, organizationId: shelter.id };
    expect(await addNetworkMember(options)).toEqual({ changed: true });
    expect(await addNetworkMember(options)).toEqual({ changed: false });
    expect(await lastAudit('network.member_added')).toMatchObject({ organization_id: network.id, subject_id: shelter.id });
    await removeNetworkMember(options);
    expect(await lastAudit('network.member_removed')).toMatchObject({ organization_id: network.id, subject_id: shelter.id });
    await expect(removeNetworkMember(options)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses network changes to others, networks inside networks and non-networks', async () => {
    const database = getDatabase();
    const network = await insertOrganization(database, { kind: 'network' });
    const otherNetwork = await insertOrganization(database, { kind: 'network' });
    const shelter = await insertOrganization(database);
    const shelterAdmin = userActor(await insertUser(database), { [shelter.id]: ['administrator'], [network.id]: ['documenter'] });
    await expect(addNetworkMember({ database, actor: shelterAdmin, networkId: network.id, organizationId: shelter.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(addNetworkMember({ database, actor: shelterAdmin, networkId: otherNetwork.id, organizationId: shelter.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(addNetworkMember({ database, actor: instanceAdmin, networkId: network.id, organizationId: otherNetwork.id })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(addNetworkMember({ database, actor: instanceAdmin, networkId: shelter.id, organizationId: network.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const members = await database.db.selectFrom('network_members').selectAll().where('network_id', 'in', [network.id, otherNetwork.id, shelter.id]).execute();
    expect(members).toEqual([]);
  });
});
