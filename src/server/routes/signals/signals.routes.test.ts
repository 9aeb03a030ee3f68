import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { createUser, signIn } from '../../../../test/auth.js';
import { testConfig } from '../../../../test/config.js';
import { describeEachEngine, type TestDatabase } from '../../../../test/db.js';
import { insertNetworkWithShelters, insertVerifiedIncident } from '../../../../test/signals.js';
import { evaluateIncident } from '../../../alerts/evaluate.js';
import { generateTotpSecret } from '../../../auth/totp.js';
import { allJobs, emptyOutbox } from '../../../jobs/jobs.test-helper.js';
import { createJobRegistry } from '../../../jobs/run.js';
import { buildApp } from '../../app.js';

interface Browser {
  cookie: string;
  csrfToken: string;
}

describeEachEngine('early-warning API', (getDatabase) => {
  let app: FastifyInstance;
  let database: TestDatabase;
  let admin: Browser;
  let reviewer: Browser;
  let networkId: string;
  let shelterId: string;

  beforeAll(async () => {
    database = getDatabase();
    app = await buildApp({ config: testConfig(), database });
    await app.ready();
    const network = await insertNetworkWithShelters(database, 1);
    networkId = network.networkId;
    shelterId = network.shelterIds[0]!;
    const adminUser = await createUser(database, { isInstanceAdmin: true, totpSecret: generateTotpSecret() });
    admin = await signIn(app, adminUser.email, adminUser.password);
    const reviewerUser = await createUser(database, { memberships: [{ organizationId: networkId, roles: ['reviewer'] }], totpSecret: generateTotpSecret() });
    reviewer = await signIn(app, reviewerUser.email, reviewerUser.password);
    await database.db.updateTable('sessions').set({ mfa_verified: true }).where('user_id', 'in', [adminUser.id, reviewerUser.id]).execute();
  });
  afterAll(async () => {
    await app.close();
  });
  beforeEach(async () => {
    await emptyOutbox(database);
  });

  const send = (browser: Browser, method: 'GET' | 'PUT' | 'POST', url: string, payload?: object) =>
    app.inject({ method, url, headers: { cookie: browser.cookie, 'x-csrf-token': browser.csrfToken }, ...(payload ? { payload } : {}) });

  it('refuses parameters that do not fit the rule kind, naming the field, and writes nothing', async () => {
    const response = await send(admin, 'PUT', '/api/v1/alert-rules/spread-five-states', {
      description: { es: 'Extendido', en: 'Widespread' },
      parameters: { minIncidents: 0, minStates: 5, days: 60 },
      enabled: true,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toContain('parameters.minIncidents');
    const rule = (await send(admin, 'GET', '/api/v1/alert-rules/spread-five-states')).json();
    expect(rule.version).toBe(1);
    expect(await allJobs(database)).toEqual([]);
  });

  it('an edit is a new version, audited, and re-evaluates everything: a lowered threshold fires', async () => {
    await insertVerifiedIncident(database, { organizationId: shelterId, stateCode: '07', date: '2019-08-01' });
    const second = await insertVerifiedIncident(database, { organizationId: shelterId, stateCode: '07', date: '2019-08-02' });
    await evaluateIncident(database, second);
    const inbox = async () => (await send(reviewer, 'GET', `/api/v1/networks/${networkId}/signals`)).json().data as Array<{ id: string; rule: { id: string } }>;
    expect((await inbox()).filter((s) => s.rule.id === 'repeat-targeting')).toEqual([]);

    const response = await send(admin, 'PUT', '/api/v1/alert-rules/repeat-targeting', {
      description: { es: 'El mismo albergue, dos veces en 90 días.', en: 'The same shelter, twice within 90 days.' },
      parameters: { minIncidents: 2, days: 90 },
      enabled: true,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ version: 2, parameters: { minIncidents: 2, days: 90 } });
    const versions = await database.db.selectFrom('alert_rule_versions').select('version').where('rule_id', '=', 'repeat-targeting').execute();
    expect(versions.map((v) => v.version).sort()).toEqual([1, 2]);
    const audit = await database.db.selectFrom('audit_log').select(['action', 'subject_id']).where('action', '=', 'alert_rule.updated').execute();
    expect(audit).toContainEqual({ action: 'alert_rule.updated', subject_id: 'repeat-targeting' });
    const jobs = await allJobs(database);
    expect(jobs.map((j) => j.kind)).toEqual(['rules.evaluate_all']);

    // The worker's handler for the job, with the database the worker gives it.
    const handler = await createJobRegistry(testConfig(), database).loadHandler('rules.evaluate_all');
    await handler({ job: { id: jobs[0]!.id, kind: 'rules.evaluate_all', payload: { reason: 'rule_changed' }, attempt: 1 }, signal: new AbortController().signal, logger: console as never });
    const fired = (await inbox()).filter((s) => s.rule.id === 'repeat-targeting');
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatchObject({ rule: { version: 2 }, figures: { incidents: 2 } });

    const dismissed = await send(reviewer, 'POST', `/api/v1/signals/${fired[0]!.id}/dismiss`, { reason: '   ' });
    expect(dismissed.statusCode).toBe(400);
    const done = await send(reviewer, 'POST', `/api/v1/signals/${fired[0]!.id}/dismiss`, { reason: 'Es el mismo hecho registrado dos veces' });
    expect(done.json()).toMatchObject({ status: 'dismissed', dismissalReason: 'Es el mismo hecho registrado dos veces' });
    expect((await send(reviewer, 'POST', `/api/v1/signals/${fired[0]!.id}/dismiss`, { reason: 'otra vez' })).statusCode).toBe(409);
  });
});
