import { beforeAll, expect, it } from 'vitest';
import { alertNetwork } from '../../test/alert-drafting.js';
import { testConfig, testKeyring } from '../../test/config.js';
import { createJobRegistry } from '../jobs/run.js';
import type { DistributionDependencies } from './alert-published.js';
import { describeEachEngine } from '../../test/db.js';
import { userActor } from '../../test/organizations.js';
import { AppError } from '../server/errors.js';
import { alertVersions } from './alert-versions.js';
import { approveAlert } from './approve-alert.js';
import { checkAlert } from './check-alert.js';
import { correctAlert } from './correct-alert.js';
import { createAlertDraft } from './create-alert-draft.js';
import { publishAlert } from './publish-alert.js';
import { listAlerts, readAlert } from './read-alert.js';
import { returnAlertToDraft } from './return-alert-to-draft.js';
import { submitAlertForReview } from './submit-alert-for-review.js';
import { updateAlert } from './update-alert.js';
import { contentOf } from './alert-access.js';
import { withdrawAlert } from './withdraw-alert.js';

const keyring = testKeyring();
const threshold = 3;
// Built when the tests run, once every job kind's module has loaded.
let distribution: DistributionDependencies;
beforeAll(() => {
  const config = testConfig();
  distribution = { config, jobs: createJobRegistry(config) };
});

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describeEachEngine('alert commands', (getDatabase) => {
  const narrative = 'La Hermana Rosa Ejemplo vio cómo la Guardia Nacional filmaba; llamó al +52 633 100 2000.';

  async function draft() {
    const database = getDatabase();
    const net = await alertNetwork(database, keyring);
    const first = await net.verifiedIncident({ narrative });
    const second = await net.verifiedIncident({ place: { stateCode: '05', municipalityCode: '05030', placeType: 'MIGRANT_SHELTER' }, startDate: { date: '2019-07-20', precision: 'day' } });
    const alert = await createAlertDraft({ database, keyring, smallNumberThreshold: threshold, actor: net.documenter, networkId: net.networkId, incidentIds: [first.id, second.id] });
    return { database, net, alert, incidents: [first, second] };
  }

  it('drafts both languages from the facts, with the sealed values of the narrative taken out', async () => {
    const { alert, incidents } = await draft();
    const content = contentOf(alert);
    expect(alert).toMatchObject({ status: 'draft', version: 1, reference: expect.stringMatching(/^ALR-\d{6}$/) });
    expect(alert.incident_ids).toEqual(incidents.map((i) => i.id));
    expect(content.es.facts).toContain('menos de 3 incidentes verificados en 2 estados (Coahuila y Sonora)');
    expect(content.en.facts).toContain('fewer than 3 verified incidents were documented in 2 states (Coahuila and Sonora)');
    expect(content.es.cases).toContain('La [dato reservado] vio cómo la Guardia Nacional filmaba; llamó al [dato reservado].');
    const all = JSON.stringify(content);
    for (const secret of ['Rosa', '633', 'Albergue Ejemplo', '31.32']) expect(all).not.toContain(secret);
    expect(content.legalRuleIds).toContain('R1');
    expect(content.addressees.map((a) => a.code)).toEqual(expect.arrayContaining(['INM', 'SEGOB', 'GN', 'CNDH']));
  });

  it('refuses incidents that are not verified or not shared with the network, and people outside it', async () => {
    const database = getDatabase();
    const net = await alertNetwork(database, keyring);
    const verified = await net.verifiedIncident();
    const other = await alertNetwork(database, keyring);
    const foreign = await other.verifiedIncident();
    const error = await rejection(
      createAlertDraft({ database, keyring, smallNumberThreshold: threshold, actor: net.documenter, networkId: net.networkId, incidentIds: [verified.id, foreign.id] }),
    );
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toContain('incidentIds[1]: names no incident shared with this network');
    const outsider = await rejection(
      createAlertDraft({ database, keyring, smallNumberThreshold: threshold, actor: other.documenter, networkId: net.networkId, incidentIds: [verified.id] }),
    );
    expect(outsider.code).toBe('NOT_FOUND');
    expect(await database.db.selectFrom('alerts').select('id').where('network_id', '=', net.networkId).execute()).toEqual([]);
  });

  it('goes from draft to published with two other reviewers, blocked by the do-no-harm check until fixed', async () => {
    const { database, net, alert } = await draft();
    const [r1, r2, r3] = net.reviewers as [typeof net.documenter, typeof net.documenter, typeof net.documenter];
    const content = contentOf(alert);
    const leaking = { ...content, es: { ...content.es, cases: `${content.es.cases}\n\nTestimonio de Hermana Rosa Ejemplo.` } };
    await updateAlert({ database, actor: net.documenter, alertId: alert.id, content: leaking, expectedVersion: 1 });
    const stale = await rejection(updateAlert({ database, actor: net.documenter, alertId: alert.id, content, expectedVersion: 1 }));
    expect(stale.code).toBe('CONFLICT');

    const findings = await checkAlert({ database, keyring, smallNumberThreshold: threshold, actor: r1, alertId: alert.id });
    expect(findings).toEqual([expect.objectContaining({ language: 'es', section: 'cases', kind: 'name', excerpt: expect.stringContaining('Hermana Rosa Ejemplo') })]);

    await submitAlertForReview({ database, actor: net.documenter, alertId: alert.id });
    const own = await rejection(approveAlert({ database, approvalsRequired: 2, actor: net.documenter, alertId: alert.id }));
    expect(own.code).toBe('FORBIDDEN');
    expect((await approveAlert({ database, approvalsRequired: 2, actor: r1, alertId: alert.id })).approvals).toBe(1);
    expect((await approveAlert({ database, approvalsRequired: 2, actor: r2, alertId: alert.id })).alert.status).toBe('approved');

    const blocked = await rejection(publishAlert({ database, keyring, distribution, actor: r1, alertId: alert.id }));
    expect(blocked.code).toBe('CONFLICT');
    expect(blocked.details).toMatchObject({ reason: 'do_no_harm', findings: [{ kind: 'name', section: 'cases', language: 'es' }] });
    expect(JSON.stringify(blocked.message)).not.toContain('Rosa');

    // r1 fixes the text: the approvals of the old text stop counting, and r1 (now the last editor) may not approve.
    const fixed = await updateAlert({ database, actor: r1, alertId: alert.id, content });
    expect(fixed.status).toBe('in_review');
    expect((await readAlert({ database, actor: r2, alertId: alert.id })).approvals).toEqual([]);
    expect((await rejection(approveAlert({ database, approvalsRequired: 2, actor: r1, alertId: alert.id }))).code).toBe('FORBIDDEN');
    await approveAlert({ database, approvalsRequired: 2, actor: r2, alertId: alert.id });
    const read = await readAlert({ database, actor: r3, alertId: alert.id });
    expect(read.nextSteps).toContain('approve');
    await approveAlert({ database, approvalsRequired: 2, actor: r3, alertId: alert.id });

    const published = await publishAlert({ database, keyring, distribution, actor: r2, alertId: alert.id });
    expect(published).toMatchObject({ status: 'published', slug: 'agresiones-a-albergues-y-personas-defensoras-de-migrantes-en-2-estados', published_version: published.version });
    expect(published.published_at).toBeInstanceOf(Date);

    const corrected = await correctAlert({
      database,
      keyring,
      distribution,
      actor: r3,
      alertId: alert.id,
      content: { ...content, es: { ...content.es, summary: `${content.es.summary} Corregido.` } },
      note: 'Se corrigió el resumen.',
    });
    expect(corrected).toMatchObject({ status: 'published', slug: published.slug, published_version: published.version + 1 });
    const unsafe = await rejection(
      correctAlert({ database, keyring, distribution, actor: r3, alertId: alert.id, content: { ...content, en: { ...content.en, summary: 'Call 55 1234 5678.' } }, note: 'x' }),
    );
    expect(unsafe.details).toMatchObject({ findings: [{ kind: 'phone', language: 'en', section: 'summary' }] });

    const withdrawn = await withdrawAlert({ database, actor: r1, alertId: alert.id, reason: 'Duplicada' });
    expect(withdrawn).toMatchObject({ status: 'withdrawn', withdrawal_reason: 'Duplicada' });

    const versions = await alertVersions({ database, actor: net.documenter, alertId: alert.id });
    expect(versions.map((v) => v.changeKind)).toEqual(['withdrawn', 'corrected', 'published', 'approved', 'edited', 'approved', 'submitted', 'edited', 'created']);
    expect(versions.find((v) => v.changeKind === 'corrected')!.changes).toEqual([expect.objectContaining({ path: 'es.summary', kind: 'changed' })]);
    const audit = await database.db.selectFrom('audit_log').select('action').where('subject_id', '=', alert.id).orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual([
      'alert.created', 'alert.edited', 'alert.submitted', 'alert.approval_given', 'alert.approved', 'alert.edited',
      'alert.approval_given', 'alert.approved', 'alert.published', 'alert.distributed', 'alert.corrected', 'alert.distributed', 'alert.withdrawn',
    ]);
  });

  it('returns a draft with a note, and lists alerts by status only to the network', async () => {
    const { database, net, alert } = await draft();
    await submitAlertForReview({ database, actor: net.documenter, alertId: alert.id });
    expect((await rejection(returnAlertToDraft({ database, actor: net.reviewers[0]!, alertId: alert.id, note: ' ' }))).code).toBe('VALIDATION_FAILED');
    expect((await rejection(returnAlertToDraft({ database, actor: net.documenter, alertId: alert.id, note: 'Falta contexto' }))).code).toBe('FORBIDDEN');
    const returned = await returnAlertToDraft({ database, actor: net.reviewers[0]!, alertId: alert.id, note: 'Falta contexto' });
    expect(returned.status).toBe('draft');
    expect((await listAlerts({ database, actor: net.documenter, status: 'draft' })).map((a) => a.id)).toContain(alert.id);
    expect(await listAlerts({ database, actor: userActor(net.shelterDocumenter.userId, {}) })).toEqual([]);
    const stranger = await rejection(readAlert({ database, actor: net.shelterDocumenter, alertId: alert.id }));
    expect(stranger.code).toBe('NOT_FOUND');
  });
});

