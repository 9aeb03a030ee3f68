import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Keyring } from '../../../crypto/keyring.js';
import { loadMasterKeys } from '../../../crypto/master-keys.js';
import { alertNetwork } from '../../../../test/alert-drafting.js';
import { testConfig } from '../../../../test/config.js';
import { describeEachEngine } from '../../../../test/db.js';
import { sessionHeaders } from '../../../../test/sessions.js';
import { buildApp } from '../../app.js';

describeEachEngine('alert routes', (getDatabase) => {
  let app: FastifyInstance;
  let net: Awaited<ReturnType<typeof alertNetwork>>;
  const config = testConfig();

  beforeAll(async () => {
    const database = getDatabase();
    app = await buildApp({ config, database });
    await app.ready();
    net = await alertNetwork(database, new Keyring(loadMasterKeys(config)));
    // Reviewers must have a second factor enrolled for their sessions to count as verified.
    await database.db.updateTable('users').set({ totp_enabled_at: new Date() }).where('id', 'in', net.reviewers.map((r) => r.userId)).execute();
  });
  afterAll(async () => {
    await app?.close();
  });

  const as = async (actor: { userId: string }) => sessionHeaders(getDatabase(), actor.userId);

  it('drafts, refuses to publish with the findings, and publishes once fixed and approved by two others', async () => {
    const incident = await net.verifiedIncident({ narrative: 'Elementos de la Guardia Nacional filmaron al personal.' });
    const created = await app.inject({ method: 'POST', url: '/api/v1/alerts', headers: await as(net.documenter), payload: { networkId: net.networkId, incidentIds: [incident.id] } });
    expect(created.statusCode, created.body).toBe(201);
    const alert = created.json();
    expect(alert).toMatchObject({ status: 'draft', version: 1, approvalsRequired: 2, nextSteps: expect.arrayContaining(['edit', 'submit']) });
    expect(alert.content.en.facts).toContain('fewer than 3 verified incidents were documented in Sonora');

    const leaking = { ...alert.content, en: { ...alert.content.en, summary: 'Ask Hermana Rosa Ejemplo at +52 633 100 2000.' } };
    const edited = await app.inject({ method: 'PUT', url: `/api/v1/alerts/${alert.id}`, headers: await as(net.documenter), payload: { content: leaking, expectedVersion: 1 } });
    expect(edited.json()).toMatchObject({ version: 2 });
    const check = await app.inject({ method: 'POST', url: `/api/v1/alerts/${alert.id}/check`, headers: await as(net.documenter), payload: {} });
    expect(check.json().findings.map((f: { kind: string; section: string }) => `${f.section}:${f.kind}`)).toEqual(['summary:name', 'summary:phone']);

    await app.inject({ method: 'POST', url: `/api/v1/alerts/${alert.id}/submit`, headers: await as(net.documenter), payload: {} });
    for (const reviewer of net.reviewers.slice(0, 2)) {
      const approved = await app.inject({ method: 'POST', url: `/api/v1/alerts/${alert.id}/approve`, headers: await as(reviewer), payload: {} });
      expect(approved.statusCode, approved.body).toBe(200);
    }
    const refused = await app.inject({ method: 'POST', url: `/api/v1/alerts/${alert.id}/publish`, headers: await as(net.reviewers[0]!), payload: {} });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.details.findings).toHaveLength(2);

    await app.inject({ method: 'PUT', url: `/api/v1/alerts/${alert.id}`, headers: await as(net.documenter), payload: { content: alert.content } });
    for (const reviewer of net.reviewers.slice(1, 3)) await app.inject({ method: 'POST', url: `/api/v1/alerts/${alert.id}/approve`, headers: await as(reviewer), payload: {} });
    const published = await app.inject({ method: 'POST', url: `/api/v1/alerts/${alert.id}/publish`, headers: await as(net.reviewers[0]!), payload: {} });
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json()).toMatchObject({ status: 'published', slug: expect.stringMatching(/^agresiones-a-albergues/), nextSteps: ['correct', 'withdraw'] });

    const versions = await app.inject({ method: 'GET', url: `/api/v1/alerts/${alert.id}/versions`, headers: await as(net.documenter) });
    expect(versions.json().data[0]).toMatchObject({ changeKind: 'published' });
    const list = await app.inject({ method: 'GET', url: '/api/v1/alerts?status=published', headers: await as(net.documenter) });
    expect(list.json().data.map((a: { id: string }) => a.id)).toEqual([alert.id]);
  });

  it('says what was wrong with bad input, and writes nothing', async () => {
    const bad = await app.inject({ method: 'POST', url: '/api/v1/alerts', headers: await as(net.documenter), payload: { networkId: net.networkId, incidentIds: [] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('incidentIds');
    const notVerified = await app.inject({
      method: 'POST',
      url: '/api/v1/alerts',
      headers: await as(net.documenter),
      payload: { networkId: net.networkId, incidentIds: ['00000000-0000-4000-8000-000000000000'] },
    });
    expect(notVerified.statusCode).toBe(400);
    expect(notVerified.json().error.details).toEqual([expect.objectContaining({ field: 'incidentIds[0]' })]);
    const withdrawal = await app.inject({ method: 'POST', url: `/api/v1/alerts/00000000-0000-4000-8000-000000000000/withdraw`, headers: await as(net.reviewers[0]!), payload: { reason: ' ' } });
    expect(withdrawal.statusCode).toBe(400);
  });
});
