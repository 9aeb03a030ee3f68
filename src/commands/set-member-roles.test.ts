import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/db.js';
import { insertOrganization, insertUser, userActor } from '../../test/organizations.js';
import { rolesOfMember } from '../db/repositories/organization.repository.js';
import { setMemberRoles } from './set-member-roles.js';

describeEachEngine('setMemberRoles', (getDatabase) => {
  let orgA: string;
  let orgB: string;
  let adminId: string;
  let documenterId: string;
  let admin: ReturnType<typeof userActor>;

  beforeAll(async () => {
    const database = getDatabase();
    orgA = (await insertOrganization(database)).id;
    orgB = (await insertOrganization(database)).id;
    adminId = await insertUser(database, { memberships: { [orgA]: ['administrator'] } });
    documenterId = await insertUser(database, { memberships: { [orgA]: ['documenter'] } });
    admin = userActor(adminId, { [orgA]: ['administrator'] });
  });

  it('replaces the roles and audits the old and new codes', async () => {
    const database = getDatabase();
    const roles = await setMemberRoles({ database, actor: admin, organizationId: orgA, userId: documenterId, roles: ['reviewer', 'documenter'] });
    expect(roles).toEqual(['documenter', 'reviewer']);
    expect((await rolesOfMember(database.db, orgA, documenterId)).sort()).toEqual(['documenter', 'reviewer']);
    const entry = await database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'membership.role_changed')
      .where('subject_id', '=', documenterId)
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ actor_type: 'user', actor_id: adminId, organization_id: orgA, subject_type: 'user' });
    expect(entry.details).toEqual({ previousRoles: ['documenter'], roles: ['documenter', 'reviewer'] });
  });

  it('refuses (409) to let the last administrator drop the role, and allows it once another exists', async () => {
    const database = getDatabase();
    await expect(setMemberRoles({ database, actor: admin, organizationId: orgA, userId: adminId, roles: ['documenter'] })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect(await rolesOfMember(database.db, orgA, adminId)).toEqual(['administrator']);
    await setMemberRoles({ database, actor: admin, organizationId: orgA, userId: documenterId, roles: ['administrator'] });
    await setMemberRoles({ database, actor: admin, organizationId: orgA, userId: adminId, roles: ['documenter'] });
    expect(await rolesOfMember(database.db, orgA, adminId)).toEqual(['documenter']);
  });

  it('answers 404 for another organization and 403 for a member who is not an administrator', async () => {
    const database = getDatabase();
    const reporterId = await insertUser(database, { memberships: { [orgB]: ['reporter', 'administrator'] } });
    await expect(setMemberRoles({ database, actor: admin, organizationId: orgB, userId: reporterId, roles: [] })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const reporter = userActor(reporterId, { [orgB]: ['reporter'], [orgA]: ['reporter'] });
    await expect(setMemberRoles({ database, actor: reporter, organizationId: orgA, userId: reporterId, roles: ['administrator'] })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('lets only an instance administrator grant roles to someone who has none there, and [] removes them', async () => {
    const database = getDatabase();
    const outsiderId = await insertUser(database);
    const orgAdmin = userActor(documenterId, { [orgA]: ['administrator'] });
    await expect(setMemberRoles({ database, actor: orgAdmin, organizationId: orgA, userId: outsiderId, roles: ['reporter'] })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const instanceAdmin = userActor(await insertUser(database, { isInstanceAdmin: true }), {}, { isInstanceAdmin: true });
    await setMemberRoles({ database, actor: instanceAdmin, organizationId: orgA, userId: outsiderId, roles: ['reporter'] });
    expect(await rolesOfMember(database.db, orgA, outsiderId)).toEqual(['reporter']);
    await setMemberRoles({ database, actor: orgAdmin, organizationId: orgA, userId: outsiderId, roles: [] });
    expect(await rolesOfMember(database.db, orgA, outsiderId)).toEqual([]);
  });
});
