import { expect, it } from 'vitest';
import { verifyPassword } from '../auth/passwords.js';
import { totpCode } from '../auth/totp.js';
import { describeEachEngine } from '../../test/db.js';
import { DEMO_PASSWORD, seedDemo } from './seed.js';

describeEachEngine('demo seed', (getDatabase) => {
  it('seeds the council network, its shelters and one sign-in per role, once', async () => {
    const database = getDatabase();
    const first = await seedDemo(database);
    const second = await seedDemo(database);
    expect(second.lines).toEqual(first.lines);
    const council = await database.db.selectFrom('organizations').selectAll().where('slug', '=', 'consejo-ciudadano-demo').executeTakeFirstOrThrow();
    expect(council.kind).toBe('network');
    const members = await database.db
      .selectFrom('network_members')
      .innerJoin('organizations', 'organizations.id', 'network_members.organization_id')
      .select(['organizations.state_code'])
      .where('network_id', '=', council.id)
      .execute();
    expect(members.length).toBeGreaterThanOrEqual(6);
    expect(new Set(members.map((m) => m.state_code)).size).toBeGreaterThanOrEqual(6);

    const roles = await database.db.selectFrom('memberships').select('role').distinct().execute();
    expect(roles.map((r) => r.role).sort()).toEqual(['administrator', 'documenter', 'reporter', 'reviewer']);
    const reviewer = await database.db.selectFrom('users').selectAll().where('email', '=', 'revisora@demo.vigia.local').executeTakeFirstOrThrow();
    expect(await verifyPassword(reviewer.password_hash, DEMO_PASSWORD)).toBe(true);
    expect(reviewer.totp_enabled_at).not.toBeNull();
    expect(totpCode(reviewer.totp_secret!)).toMatch(/^\d{6}$/);
    expect(first.lines.join('\n')).toContain(`revisora@demo.vigia.local — reviewer — TOTP secret ${reviewer.totp_secret}`);
    expect(first.lines.join('\n')).toContain('documentadora@demo.vigia.local — documenter\n');
    expect(await database.db.selectFrom('users').select('id').where('is_instance_admin', '=', true).execute()).toHaveLength(1);
  });
});
