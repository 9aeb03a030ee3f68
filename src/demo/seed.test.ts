import { expect, it } from 'vitest';
import { verifyPassword } from '../auth/passwords.js';
import { openTotpSecret, totpCode } from '../auth/totp.js';
import { describeEachEngine } from '../../test/db.js';
import { DEMO_PASSWORD, seedDemo } from './seed.js';
import { Keyring } from '../crypto/keyring.js';
import { loadMasterKeys } from '../crypto/master-keys.js';
import { testConfig } from '../../test/config.js';
import { evidenceStoreFor } from '../server/app.js';
import { readPublicStatistics } from '../commands/read-public-statistics.js';

describeEachEngine('demo seed', (getDatabase) => {
  it('seeds the council network, its shelters and one sign-in per role, once', async () => {
    const database = getDatabase();
    const config = testConfig();
    const keyring = new Keyring(loadMasterKeys(config));
    const store = evidenceStoreFor(config);
    const first = await seedDemo(database, keyring, store, testConfig());
    const second = await seedDemo(database, keyring, store, testConfig());
    // The receipt's secret is shown once: only its hash is kept.
    expect(second.lines).toEqual(first.lines.filter((line) => !line.includes('receipt')));
    // The early-warning rules ran over the record: the council's inbox has signals, not twice over.
    const signals = await database.db.selectFrom('signals').select(['rule_id', 'dedupe_key', 'status']).execute();
    expect(signals.filter((s) => s.status === 'open').length).toBeGreaterThan(0);
    expect(new Set(signals.map((s) => `${s.rule_id}|${s.dedupe_key}`)).size).toBe(signals.length);
    const open = signals.filter((s) => s.status === 'open').length;
    expect(first.lines).toContain(`Early warning: ${open} open signals in the council's inbox at /senales (sign in as the council's documenter or reviewer); the rules at /reglas.`);
    const council = await database.db.selectFrom('organizations').selectAll().where('slug', '=', 'consejo-ciudadano-demo').executeTakeFirstOrThrow();
    expect(council.kind).toBe('network');
    // One published alert (not two), addressed to its authorities, two of which have answered.
    const alerts = await database.db.selectFrom('alerts').select(['id', 'status', 'slug']).where('network_id', '=', council.id).execute();
    expect(alerts).toEqual([expect.objectContaining({ status: 'published' })]);
    expect(first.lines.join('\n')).toContain(`/alertas/${alerts[0]!.slug}`);
    const requests = await database.db.selectFrom('alert_requests').select('id').where('alert_id', '=', alerts[0]!.id).execute();
    expect(requests.length).toBeGreaterThanOrEqual(4);
    const answers = await database.db.selectFrom('alert_responses').select('id').where('request_id', 'in', requests.map((r) => r.id)).execute();
    expect(answers).toHaveLength(2);
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
    const secret = openTotpSecret(keyring, reviewer.id, reviewer.totp_secret!);
    expect(reviewer.totp_secret).not.toContain(secret);
    expect(totpCode(secret)).toMatch(/^\d{6}$/);
    expect(first.lines.join('\n')).toContain(`revisora@demo.vigia.local — reviewer — TOTP secret ${secret}`);
    expect(first.lines.join('\n')).toContain('documentadora@demo.vigia.local — documenter\n');
    expect(await database.db.selectFrom('users').select('id').where('is_instance_admin', '=', true).execute()).toHaveLength(1);
  }, 120_000); // Seeding documents forty incidents through the commands, each with its versions and audit entries.

  it('holds incidents of the 2019 pattern in every review state, in at least five states, and reports in the inbox', async () => {
    const database = getDatabase();
    const config = testConfig();
    const keyring = new Keyring(loadMasterKeys(config));
    const store = evidenceStoreFor(config);
    const summary = await seedDemo(database, keyring, store, testConfig());
    const incidents = await database.db.selectFrom('incidents').select(['status', 'state_code', 'legal_rule_ids', 'sealed']).execute();
    expect(new Set(incidents.map((i) => i.status))).toEqual(new Set(['reported', 'in_review', 'verified', 'rejected', 'needs_information']));
    expect(new Set(incidents.map((i) => i.state_code)).size).toBeGreaterThanOrEqual(5);
    expect(incidents.some((i) => i.legal_rule_ids.includes('R1'))).toBe(true);
    const reports = await database.db.selectFrom('reports').select('status').execute();
    expect(reports.map((r) => r.status).sort()).toEqual(['needs_information', 'new']);
    // Verified by someone other than the documenter who wrote them (four eyes).
    const verified = await database.db.selectFrom('incidents').select(['verified_by', 'last_changed_by']).where('status', '=', 'verified').execute();
    for (const row of verified) expect(row.verified_by).not.toBe(row.last_changed_by);
    expect(summary.lines.join('\n')).toMatch(/Demo record: 7 incidents/);
    const evidence = await database.db.selectFrom('evidence').select(['status', 'kind', 'has_redacted_copy', 'sha256']).execute();
    expect(evidence).toHaveLength(2);
    for (const e of evidence) expect(e).toMatchObject({ status: 'complete', kind: 'image', has_redacted_copy: true });
  });

  it('shows the 2019 pattern on the public map: eight states of at least three, and no figure under the threshold', async () => {
    const database = getDatabase();
    const stats = await readPublicStatistics({ db: database.db, threshold: 3, filters: {} });
    expect(stats.period).toEqual({ from: '2019-06', to: '2019-08' });
    const shown = stats.byState.filter((c) => c.figure.count !== null && c.figure.count >= 3).map((c) => c.key);
    expect(shown).toEqual(expect.arrayContaining(['02', '05', '07', '08', '20', '26', '27', '30']));
    for (const c of [...stats.byState, ...stats.byMonth, ...stats.byActType, ...stats.byPerpetratorType, ...stats.byPlaceType]) {
      expect(c.figure.count === null || c.figure.count === 0 || c.figure.count >= 3, `${c.key}`).toBe(true);
    }
  });
});
