import { createHash } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../../test/db.js';
import { insertOrganization, insertUser, userActor } from '../../test/organizations.js';
import { listApiTokens } from '../db/repositories/organization.repository.js';
import type { ApiTokenPermission } from '../policies/permissions.js';
import { createApiToken } from './create-api-token.js';
import { revokeApiToken } from './revoke-api-token.js';

describeEachEngine('API token commands', (getDatabase) => {
  let orgId: string;
  let admin: ReturnType<typeof userActor>;

  beforeAll(async () => {
    const database = getDatabase();
    orgId = (await insertOrganization(database)).id;
    admin = userActor(await insertUser(database, { memberships: { [orgId]: ['administrator'] } }), { [orgId]: ['administrator'] });
  });

  it('creates a token whose secret is returned once and stored only as its SHA-256', async () => {
    const database = getDatabase();
    const { token, secret } = await createApiToken({ database, actor: admin, organizationId: orgId, name: 'Integración', permissions: ['incidents:read', 'export:read'] });
    expect(secret).toMatch(/^vgt_[A-Za-z0-9_-]{43}$/);
    expect(token).toMatchObject({ organization_id: orgId, name: 'Integración', permissions: ['incidents:read', 'export:read'], revoked_at: null });
    const stored = await database.db.selectFrom('api_tokens').select('token_hash').where('id', '=', token.id).executeTakeFirstOrThrow();
    expect(stored.token_hash).toBe(createHash('sha256').update(secret).digest('hex'));
    const entry = await database.db.selectFrom('audit_log').selectAll().where('action', '=', 'api_token.created').where('subject_id', '=', token.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(entry.details)).not.toContain(secret);
    expect(entry.details).toEqual({ permissions: ['incidents:read', 'export:read'] });
  });

  it('refuses unknown or no permissions, and non-administrators', async () => {
    const database = getDatabase();
    const base = { database, actor: admin, organizationId: orgId, name: 'x' };
    await expect(createApiToken({ ...base, permissions: ['admin:all' as ApiTokenPermission] })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(createApiToken({ ...base, permissions: [] })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const documenter = userActor(await insertUser(database), { [orgId]: ['documenter'] });
    await expect(createApiToken({ ...base, actor: documenter, permissions: ['incidents:read'] })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('revokes a token once, audited, and only within its own organization', async () => {
    const database = getDatabase();
    const { token } = await createApiToken({ database, actor: admin, organizationId: orgId, name: 'Para revocar', permissions: ['reports:write'] });
    const otherOrg = (await insertOrganization(database)).id;
    const otherAdmin = userActor(await insertUser(database), { [otherOrg]: ['administrator'] });
    await expect(revokeApiToken({ database, actor: otherAdmin, organizationId: otherOrg, tokenId: token.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await revokeApiToken({ database, actor: admin, organizationId: orgId, tokenId: token.id });
    await revokeApiToken({ database, actor: admin, organizationId: orgId, tokenId: token.id });
    const listed = (await listApiTokens(database.db, orgId)).find((t) => t.id === token.id);
    expect(listed?.revoked_at).toBeInstanceOf(Date);
    const entries = await database.db.selectFrom('audit_log').select('seq').where('action', '=', 'api_token.revoked').where('subject_id', '=', token.id).execute();
    expect(entries).toHaveLength(1);
  });
});
