import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateAll } from '../../src/alerts/evaluate.js';
import { mexicoCityDate } from '../../src/commands/alert-requests.js';
import { registerWebhookEndpoint } from '../../src/commands/webhook-endpoints.js';
import type { AlertContent, AlertText } from '../../src/domain/alert.js';
import { alertNetwork, SALTILLO_DEATH_THREAT } from '../alert-drafting.js';
import { createUser } from '../auth.js';
import { launchBrowser, startWebApp, type RunningApp } from '../browser.js';
import { testConfig, testKeyring } from '../config.js';
import { createTestDatabase } from '../db.js';
import { userActor } from '../organizations.js';
import { testSession } from '../sessions.js';
import { newTotpSecret } from './people-helpers.js';
import { callApi, payload, payloadPages, serverPayload } from './script-payloads-helpers.js';

/*
 * Script payloads in the free text of the pages added after the reporting and documentation ones
 * (issue 7 item 4; script-payloads.test.ts has those, and the helpers say how a payload is caught):
 * alert drafting, review, history and follow-up; the public alert in both languages with its
 * accountability, the head the server writes into it and the Atom feeds; signals and rules; webhooks;
 * the audit viewer; the account page's sessions (a User-Agent is the attacker's to choose); and the
 * subscription form. Everything is planted through the API (or a command, where the API would need the
 * network) in beforeAll; each page is then opened in Chromium and must show each marker as text only.
 */

/** Markers: none is part of another, so finding one never stands for finding a longer one. */
const M = {
  network: 'XSSNETWK',
  shelter: 'XSSSHLTR',
  documenter: 'XSSDOC',
  reviewerA: 'XSSREVA',
  reviewerB: 'XSSREVB',
  reviewerC: 'XSSREVC',
  admin: 'XSSADMIN',
  victim: 'XSSVICT',
  titleEs: 'XSSTITLEES',
  titleEn: 'XSSTITLEEN',
  fixedEs: 'XSSFIXEDES',
  fixedEn: 'XSSFIXEDEN',
  summaryEs: 'XSSSUMES',
  summaryEn: 'XSSSUMEN',
  factsEs: 'XSSFACTSES',
  factsEn: 'XSSFACTSEN',
  casesEs: 'XSSCASESES',
  casesEn: 'XSSCASESEN',
  legalEs: 'XSSLEGALES',
  legalEn: 'XSSLEGALEN',
  recommendationEs: 'XSSRECSES',
  recommendationEn: 'XSSRECSEN',
  addresseeEs: 'XSSADDRES',
  addresseeEn: 'XSSADDREN',
  versionNote: 'XSSVERSIONNOTE',
  submitNote: 'XSSSUBMITNOTE',
  approvalNote: 'XSSAPPROVALNOTE',
  correction: 'XSSCORRECTION',
  answer: 'XSSANSWER',
  letter: 'XSSLETTER',
  withdrawnEs: 'XSSWDES',
  withdrawnEn: 'XSSWDEN',
  reason: 'XSSREASON',
  draftEs: 'XSSDRAFTES',
  returnNote: 'XSSRETURNNOTE',
  ruleEs: 'XSSRULEES',
  ruleEn: 'XSSRULEEN',
  dismissal: 'XSSDISMISSAL',
  hook: 'XSSHOOK',
  hookUrl: 'XSSURL',
  delivery: 'XSSDELIVERY',
  termEs: 'XSSTERMES',
  termEn: 'XSSTERMEN',
  agent: 'XSSAGENT',
} as const;

/** One language's text with a payload in every section; the list item checks the list rendering too. */
function hostileText(markers: { title: string; summary: string; facts: string; cases: string; legal: string; recommendation: string }): AlertText {
  return {
    title: serverPayload(markers.title),
    summary: serverPayload(markers.summary),
    facts: `${payload(markers.facts)}\n\nSegundo párrafo.`,
    cases: payload(markers.cases),
    legalFramework: payload(markers.legal),
    recommendations: `- ${payload(markers.recommendation)}\n- Otra recomendación.`,
  };
}

/** What the server's head and feeds must say, and nothing else: read by the browser's own parsers. */
const HEAD_FACTS = `(html) => {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const meta = (key) => [...doc.head.querySelectorAll('meta')].filter((m) => (m.getAttribute('name') ?? m.getAttribute('property')) === key).map((m) => m.getAttribute('content'));
  return {
    titles: [...doc.querySelectorAll('title')].map((t) => t.textContent),
    description: meta('description'),
    ogTitle: meta('og:title'),
    ogDescription: meta('og:description'),
    twitterTitle: meta('twitter:title'),
    twitterDescription: meta('twitter:description'),
    scripts: doc.querySelectorAll('script').length,
    inlineScripts: doc.querySelectorAll('script:not([src])').length,
    handlers: [...doc.querySelectorAll('*')].flatMap((e) => [...e.attributes].map((a) => a.name)).filter((n) => n.startsWith('on')),
    injected: doc.querySelectorAll('img, svg, a, iframe, object, embed, base, form, meta[http-equiv]').length,
    body: [...doc.body.children].map((e) => e.tagName.toLowerCase()),
  };
}`;

const ATOM_ELEMENTS = ['feed', 'id', 'title', 'subtitle', 'link', 'updated', 'author', 'name', 'entry', 'published', 'summary', 'category'];
const FEED_FACTS = `(xml) => {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  const elements = [...doc.getElementsByTagName('*')];
  return {
    error: doc.getElementsByTagName('parsererror').length > 0 ? doc.documentElement.textContent : null,
    foreign: elements.filter((e) => e.namespaceURI !== 'http://www.w3.org/2005/Atom' || !${JSON.stringify(ATOM_ELEMENTS)}.includes(e.localName)).map((e) => e.namespaceURI + ' ' + e.localName),
    entries: [...doc.getElementsByTagName('entry')].map((e) => ({ title: e.getElementsByTagName('title')[0].textContent, summary: e.getElementsByTagName('summary')[0].textContent })),
  };
}`;

describe('script payloads in alerts, early warning, webhooks, audit and account pages', () => {
  let browser: Browser;
  let server: RunningApp;
  let pages: ReturnType<typeof payloadPages>;
  type Session = { token: string; csrf: string };
  const sessions = {} as Record<'documenter' | 'reviewerA' | 'reviewerB' | 'reviewerC' | 'admin', Session>;
  let ids: { network: string; published: string; publishedSlug: string; withdrawn: string; withdrawnSlug: string; draft: string };
  let texts: { fixed: Record<'es' | 'en', string>; summary: Record<'es' | 'en', string>; withdrawn: Record<'es' | 'en', string>; reason: string };

  beforeAll(async () => {
    // A term an administrator added to a vocabulary (origin 'local') goes in before the server starts: the
    // reference answers are computed once and kept while it runs.
    const database = await createTestDatabase('pglite');
    await database.db
      .insertInto('vocabulary_terms')
      .values({ vocabulary: 'act_types', code: 'XSS_LOCAL_ACT', label_es: payload(M.termEs), label_en: payload(M.termEn), origin: 'local', sort_order: 999 })
      .execute();
    const keyring = testKeyring();
    const net = await alertNetwork(database, keyring);
    const network = net.networkId;
    await database.db.updateTable('organizations').set({ name: payload(M.network) }).where('id', '=', network).execute();
    await database.db.updateTable('organizations').set({ name: payload(M.shelter) }).where('id', '=', net.shelterId).execute();
    [browser, server] = await Promise.all([launchBrowser(), startWebApp({ database })]);
    pages = payloadPages(browser, server.url);

    // Reviewers and administrators must have a second factor; their sessions here have passed it.
    const person = async (marker: string, roles: ('documenter' | 'reviewer' | 'administrator')[], isInstanceAdmin = false) =>
      createUser(database, {
        displayName: payload(marker),
        isInstanceAdmin,
        memberships: [{ organizationId: network, roles }],
        ...(roles.includes('documenter') ? {} : { totpSecret: newTotpSecret() }),
      });
    const documenter = await person(M.documenter, ['documenter']);
    const people = {
      documenter,
      reviewerA: await person(M.reviewerA, ['reviewer']),
      reviewerB: await person(M.reviewerB, ['reviewer']),
      reviewerC: await person(M.reviewerC, ['reviewer']),
      admin: await person(M.admin, ['administrator'], true),
    };
    for (const [who, user] of Object.entries(people)) sessions[who as keyof typeof sessions] = await testSession(database, user.id);
    const as = (who: keyof typeof sessions) => (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, body?: object) => callApi(server.app, sessions[who], method, url, body);

    // Two verified incidents shared with the network: one with a hostile (sealed) victim name, one
    // grave enough to raise an urgent signal.
    const incident = await net.verifiedIncident({
      victims: [
        { id: 'v1', kind: 'organization', name: 'Albergue Ejemplo de Agua Prieta', characteristics: ['HUMAN_RIGHTS_ORGANIZATION'] },
        { id: 'v2', kind: 'person', name: payload(M.victim), characteristics: ['SHELTER_STAFF', 'HUMAN_RIGHTS_DEFENDER'] },
      ],
    });
    await net.verifiedIncident(SALTILLO_DEATH_THREAT);

    // Two reviewers approve a text and a third publishes it, as the workflow asks. The deciding approval's
    // note is the one a version (and so the history) keeps.
    const publish = async (alertId: string, notes?: { submit: string; approval: string }) => {
      await as('documenter')('POST', `/api/v1/alerts/${alertId}/submit`, notes ? { note: notes.submit } : {});
      await as('reviewerB')('POST', `/api/v1/alerts/${alertId}/approve`, {});
      await as('reviewerC')('POST', `/api/v1/alerts/${alertId}/approve`, notes ? { note: notes.approval } : {});
      return String((await as('reviewerA')('POST', `/api/v1/alerts/${alertId}/publish`, {})).slug);
    };

    // Alert A: drafted, every section rewritten with payloads in both languages, a hostile addressee,
    // notes at every step, published, then corrected with a public note.
    const draft = await as('documenter')('POST', '/api/v1/alerts', { networkId: network, incidentIds: [incident.id] });
    const draftContent = draft.content as AlertContent;
    const content: AlertContent = {
      ...draftContent,
      es: hostileText({ title: M.titleEs, summary: M.summaryEs, facts: M.factsEs, cases: M.casesEs, legal: M.legalEs, recommendation: M.recommendationEs }),
      en: hostileText({ title: M.titleEn, summary: M.summaryEn, facts: M.factsEn, cases: M.casesEn, legal: M.legalEn, recommendation: M.recommendationEn }),
      addressees: [...draftContent.addressees, { code: 'XSS_AUTORIDAD', name: { es: payload(M.addresseeEs), en: payload(M.addresseeEn) }, stateCode: null }],
    };
    const published = String(draft.id);
    await as('documenter')('PUT', `/api/v1/alerts/${published}`, { content, expectedVersion: draft.version, note: payload(M.versionNote) });
    const publishedSlug = await publish(published, { submit: payload(M.submitNote), approval: payload(M.approvalNote) });
    const fixed = { es: serverPayload(M.fixedEs), en: serverPayload(M.fixedEn) };
    await as('reviewerA')('POST', `/api/v1/alerts/${published}/correct`, {
      content: { ...content, es: { ...content.es, title: fixed.es }, en: { ...content.en, title: fixed.en } },
      note: payload(M.correction),
    });

    // The hostile addressee's request: sent, and answered with a hostile summary and letter text.
    const { data: requests } = (await as('reviewerA')('GET', `/api/v1/alerts/${published}/requests`)) as { data: { id: string; addresseeCode: string }[] };
    const request = requests.find((r) => r.addresseeCode === 'XSS_AUTORIDAD')!;
    const today = mexicoCityDate(new Date());
    await as('reviewerA')('PATCH', `/api/v1/alert-requests/${request.id}`, { sentOn: today, channel: 'other' });
    await as('reviewerA')('POST', `/api/v1/alert-requests/${request.id}/responses`, { receivedOn: today, summary: payload(M.answer), documentText: payload(M.letter) });

    // Alert B: published with hostile titles, then withdrawn with a hostile reason (the public reads it).
    const withdrawnTitles = { es: serverPayload(M.withdrawnEs), en: serverPayload(M.withdrawnEn) };
    const toWithdraw = await as('documenter')('POST', '/api/v1/alerts', { networkId: network, incidentIds: [incident.id] });
    const toWithdrawContent = toWithdraw.content as AlertContent;
    const withdrawn = String(toWithdraw.id);
    await as('documenter')('PUT', `/api/v1/alerts/${withdrawn}`, {
      content: { ...toWithdrawContent, es: { ...toWithdrawContent.es, title: withdrawnTitles.es }, en: { ...toWithdrawContent.en, title: withdrawnTitles.en } },
      expectedVersion: toWithdraw.version,
    });
    const withdrawnSlug = await publish(withdrawn);
    const reason = serverPayload(M.reason);
    await as('reviewerA')('POST', `/api/v1/alerts/${withdrawn}/withdraw`, { reason });

    // Alert C: a draft that quotes the hostile sealed name (the do-no-harm check will show it), returned once.
    const second = await as('documenter')('POST', '/api/v1/alerts', { networkId: network, incidentIds: [incident.id] });
    const secondContent = second.content as AlertContent;
    await as('documenter')('PUT', `/api/v1/alerts/${String(second.id)}`, {
      content: { ...secondContent, es: { ...secondContent.es, title: payload(M.draftEs), cases: `Testimonio de ${payload(M.victim)}.` } },
      expectedVersion: second.version,
    });
    await as('documenter')('POST', `/api/v1/alerts/${String(second.id)}/submit`, {});
    await as('reviewerA')('POST', `/api/v1/alerts/${String(second.id)}/return`, { note: payload(M.returnNote) });

    // Early warning: the rules fire; one signal is dismissed with a hostile reason, and the rule of
    // another gets a hostile description from the instance administrator.
    await evaluateAll(database);
    const signals = await database.db.selectFrom('signals').select(['id', 'rule_id']).where('network_id', '=', network).where('status', '=', 'open').orderBy('rule_id').execute();
    expect(signals.length).toBeGreaterThanOrEqual(2);
    await as('documenter')('POST', `/api/v1/signals/${signals[0]!.id}/dismiss`, { reason: payload(M.dismissal) });
    const rule = await as('admin')('GET', `/api/v1/alert-rules/${signals[1]!.rule_id}`);
    await as('admin')('PUT', `/api/v1/alert-rules/${signals[1]!.rule_id}`, { description: { es: payload(M.ruleEs), en: payload(M.ruleEn) }, parameters: rule.parameters, enabled: true });

    // A webhook destination with a hostile description and address, and a delivery whose error is
    // hostile (it carries what a remote server said about itself, a certificate name for one).
    const endpoint = await registerWebhookEndpoint({
      database,
      keyring,
      actor: userActor(people.admin.id, { [network]: ['administrator'] }),
      networkId: network,
      url: `https://hooks.example.org/${M.hookUrl}/<img src=x onerror=alert(1)>?q="'><script>alert(2)</script>`,
      description: payload(M.hook),
      targets: testConfig().alerts.webhookTargets,
      resolveHost: async () => [{ address: '93.184.216.34', family: 4 }],
    });
    await database.db
      .insertInto('webhook_deliveries')
      .values({ endpoint_id: endpoint.id, job_id: 1, attempt: 1, alert_id: published, event: 'alert.published', status_code: null, duration_ms: 4, error: payload(M.delivery), succeeded: false })
      .execute();

    // A sign-in whose User-Agent is a payload: the account page lists that session by its device.
    const signIn = await server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      headers: { 'user-agent': `Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 ${payload(M.agent)}` },
      payload: { email: documenter.email, password: documenter.password },
    });
    expect(signIn.statusCode, signIn.body).toBe(200);

    ids = { network, published, publishedSlug, withdrawn, withdrawnSlug, draft: String(second.id) };
    texts = { fixed, summary: { es: content.es.summary, en: content.en.summary }, withdrawn: withdrawnTitles, reason };
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Opens every closed <details> on the page, so what they hold is rendered text too. */
  const openAllDetails = async (page: Page) => {
    const summaries = page.locator('details:not([open]) > summary');
    await summaries.first().waitFor();
    for (let n = await summaries.count(); n > 0; n = await summaries.count()) await summaries.first().click();
  };

  it('shows the drafts list, the published alert in the editor (preview opened, addressees in fields) and its history as text', { timeout: 120_000 }, async () => {
    await pages.visit('/redaccion', [M.fixedEs, M.withdrawnEs, M.draftEs], { session: sessions.documenter.token });

    const editor = await pages.open(sessions.reviewerA.token);
    try {
      await editor.page.goto(`${server.url}/redaccion/${ids.published}`);
      await editor.page.getByText('Vista previa en ambos idiomas').click();
      await pages.expectInert(
        editor,
        [M.fixedEs, M.fixedEn, M.summaryEs, M.summaryEn, M.factsEs, M.factsEn, M.casesEs, M.casesEn, M.legalEs, M.legalEn, M.recommendationEs, M.recommendationEn],
        'alert editor',
      );
      await pages.expectInFields(editor, M.addresseeEs, 'alert editor');
      await pages.expectInFields(editor, M.addresseeEn, 'alert editor');
    } finally {
      await editor.context.close();
    }

    // Every version's note and author, and each diff opened: the draft's text against the payloads, the
    // first titles against the corrected ones.
    await pages.visit(
      `/redaccion/${ids.published}/historial`,
      [M.versionNote, M.submitNote, M.approvalNote, M.correction, M.documenter, M.reviewerA, M.reviewerC, M.titleEs, M.fixedEs, M.summaryEn],
      { session: sessions.reviewerA.token, prepare: openAllDetails },
    );
  });

  it("shows a returned draft's note, and the do-no-harm report quoting a hostile sealed name, as text", { timeout: 90_000 }, async () => {
    await pages.visit(`/redaccion/${ids.draft}/historial`, [M.returnNote, M.reviewerA], { session: sessions.documenter.token });
    const editor = await pages.open(sessions.documenter.token);
    try {
      await editor.page.goto(`${server.url}/redaccion/${ids.draft}`);
      await pages.expectInFields(editor, M.draftEs, 'draft editor');
      await editor.page.getByRole('button', { name: 'Revisar «no hacer daño»' }).click();
      await pages.expectInert(editor, [M.victim], 'do-no-harm report');
    } finally {
      await editor.context.close();
    }
  });

  it("shows the follow-up page's addressee, answer summary and answer text as text", { timeout: 60_000 }, async () => {
    await pages.visit(`/redaccion/${ids.published}/seguimiento`, [M.addresseeEs, M.answer, M.letter], { session: sessions.reviewerA.token, prepare: openAllDetails });
  });

  it('shows the public alert, its correction and its accountability as text, in Spanish and English', { timeout: 120_000 }, async () => {
    const es = [M.fixedEs, M.summaryEs, M.factsEs, M.casesEs, M.legalEs, M.recommendationEs, M.addresseeEs, M.correction, M.answer];
    const en = [M.fixedEn, M.summaryEn, M.factsEn, M.casesEn, M.legalEn, M.recommendationEn, M.addresseeEn, M.correction, M.answer];
    await pages.visit(`/alertas/${ids.publishedSlug}`, es, {
      prepare: async (page) => {
        // The title the app sets is the alert's, as text.
        await expect.poll(() => page.title()).toBe(`${texts.fixed.es} · Vigía`);
      },
    });
    await pages.visit(`/en/alerts/${ids.publishedSlug}`, en, { prepare: async (page) => expect.poll(() => page.title()).toBe(`${texts.fixed.en} · Vigía`) });
    await pages.visit(`/alertas/${ids.withdrawnSlug}`, [M.withdrawnEs, M.reason]);
    await pages.visit(`/en/alerts/${ids.withdrawnSlug}`, [M.withdrawnEn, M.reason]);
    await pages.visit('/alertas', [M.fixedEs, M.summaryEs, M.withdrawnEs]);
    await pages.visit('/en/alerts', [M.fixedEn, M.summaryEn, M.withdrawnEn]);
  });

  it('writes the alert into the head the server sends only as escaped text, in Spanish and English', { timeout: 60_000 }, async () => {
    const reader = await pages.open();
    try {
      const cases = [
        [`/alertas/${ids.publishedSlug}`, texts.fixed.es, texts.summary.es],
        [`/en/alerts/${ids.publishedSlug}`, texts.fixed.en, texts.summary.en],
        [`/alertas/${ids.withdrawnSlug}`, `Alerta retirada: ${texts.withdrawn.es}`, `Alerta retirada. ${texts.reason}`],
        [`/en/alerts/${ids.withdrawnSlug}`, `Alert withdrawn: ${texts.withdrawn.en}`, `Alert withdrawn. ${texts.reason}`],
      ] as const;
      for (const [path, title, description] of cases) {
        const sent = await server.app.inject({ method: 'GET', url: path, headers: { accept: 'text/html' } });
        expect(sent.statusCode, path).toBe(200);
        const head = sent.body.slice(0, sent.body.indexOf('</head>'));
        // The payload reaches the head escaped, never as a tag.
        expect(head, path).not.toContain('<img');
        expect(head, path).toContain('&lt;img src=x onerror=__pwned=1;alert(1)&gt;');
        // Read by the browser's own parser: each tag once, with exactly the alert's text, and nothing added.
        const facts = await reader.page.evaluate(`(${HEAD_FACTS})(${JSON.stringify(sent.body)})`);
        expect(facts, path).toEqual({
          titles: [`${title} · Vigía`],
          description: [description],
          ogTitle: [title],
          ogDescription: [description],
          twitterTitle: [title],
          twitterDescription: [description],
          scripts: 1,
          inlineScripts: 0,
          handlers: [],
          injected: 0,
          body: ['div', 'noscript'],
        });
      }
    } finally {
      await reader.context.close();
    }
  });

  it('writes the alerts into the Atom feeds only as escaped text, in Spanish and English', { timeout: 60_000 }, async () => {
    const reader = await pages.open();
    try {
      const feeds = [
        ['/alertas.atom', { title: texts.fixed.es, summary: texts.summary.es }, { title: `[Alerta retirada] ${texts.withdrawn.es}`, summary: `Alerta retirada. Motivo: ${texts.reason}` }],
        ['/en/alerts.atom', { title: texts.fixed.en, summary: texts.summary.en }, { title: `[Alert withdrawn] ${texts.withdrawn.en}`, summary: `Alert withdrawn. Reason: ${texts.reason}` }],
      ] as const;
      for (const [path, published, withdrawn] of feeds) {
        const sent = await server.app.inject({ method: 'GET', url: path });
        expect(sent.statusCode, path).toBe(200);
        expect(sent.body, path).not.toMatch(/<(img|svg|a|script)[\s>]/);
        expect(sent.body, path).toContain('&lt;img src=x onerror=__pwned=1;alert(1)&gt;');
        const facts = (await reader.page.evaluate(`(${FEED_FACTS})(${JSON.stringify(sent.body)})`)) as { error: string | null; foreign: string[]; entries: unknown[] };
        expect(facts.error, path).toBeNull();
        expect(facts.foreign, path).toEqual([]);
        expect(facts.entries, path).toContainEqual(published);
        expect(facts.entries, path).toContainEqual(withdrawn);
      }
    } finally {
      await reader.context.close();
    }
  });

  it("shows the signals inbox's network name, rule description and dismissal reason, and the rules page's descriptions, as text", { timeout: 60_000 }, async () => {
    await pages.visit('/senales?estado=todas', [M.network, M.ruleEs, M.dismissal], { session: sessions.documenter.token });
    await pages.visit('/reglas', [M.ruleEs, M.ruleEn], { session: sessions.admin.token });
  });

  it("shows a webhook destination's address, description and delivery error as text", { timeout: 60_000 }, async () => {
    await pages.visit(`/organizaciones/${ids.network}/webhooks`, [M.hookUrl, M.hook, M.delivery], { session: sessions.admin.token });
  });

  it("shows people's and organizations' names in the audit viewer as text", { timeout: 60_000 }, async () => {
    await pages.visit('/auditoria', [M.admin, M.documenter, M.network], { session: sessions.admin.token });
  });

  it('lists a session signed in with a hostile User-Agent by its device, and runs nothing', { timeout: 60_000 }, async () => {
    // The page names the device ("Chrome en Linux") and never prints the header itself.
    await pages.visit('/cuenta', [M.documenter, 'Chrome en Linux'], { session: sessions.documenter.token });
  });

  it("shows an administrator's vocabulary term on the subscription form as text, in Spanish and English", { timeout: 60_000 }, async () => {
    await pages.visit('/suscribirse', [M.termEs]);
    await pages.visit('/en/subscribe', [M.termEn]);
  });
});
