import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams, useSearch } from 'wouter';
import { AlertBody } from '../../components/AlertBody';
import { WEB_PAGES } from '../../../domain/web-routes';
import {
  ALERT_SECTIONS,
  ALERT_STATUSES,
  alertsApi,
  type Alert,
  type AlertContent,
  type AlertSection,
  type AlertStatus,
  type AlertVersion,
  type DoNoHarmFinding,
} from '../../api/alerts';
import { ApiError } from '../../api/client';
import { useErrorText } from '../../components/form';
import { ActionMessages, ResourceView, useAction, useResource } from '../../components/resource';
import { useDocumentTitle } from '../../components/use-document-title';
import { useFormat } from '../../i18n/format';
import { RequireSession } from '../../session/RequireSession';
import { TextAreaField } from '../incidents/TextArea';
import { AddresseeForm } from './AddresseeForm';
import './alerts.css';

/** The workspace pages of alerts (issue 5): list, new draft, editor, history. */

const LANGS = ['es', 'en'] as const;
const editorPath = (id: string) => WEB_PAGES.alertEdit.replace(':id', id);
const historyPath = (id: string) => WEB_PAGES.alertHistory.replace(':id', id);
const followUpPath = (id: string) => WEB_PAGES.alertFollowUp.replace(':id', id);

/** Alerts of the caller's networks, by status. */
export function AlertListPage() {
  return <RequireSession>{() => <AlertList />}</RequireSession>;
}

function AlertList() {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  useDocumentTitle(t('alerts.list.title'));
  const [status, setStatus] = useState<AlertStatus | ''>('');
  const list = useResource(useCallback((signal: AbortSignal) => alertsApi.list(status || undefined, signal), [status]));
  const lang = i18n.language === 'en' ? 'en' : 'es';
  return (
    <>
      <h1>{t('alerts.list.title')}</h1>
      <p>{t('alerts.list.intro')}</p>
      <div className="field">
        <label htmlFor="alert-status">{t('alerts.list.status')}</label>
        <select id="alert-status" value={status} onChange={(e) => setStatus(e.target.value as AlertStatus | '')}>
          <option value="">{t('alerts.list.all')}</option>
          {ALERT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`alerts.status.${s}`)}
            </option>
          ))}
        </select>
      </div>
      <ResourceView resource={list.resource}>
        {({ data }) =>
          data.length === 0 ? (
            <p>{t('alerts.list.none')}</p>
          ) : (
            <ul className="plain-list alert-list">
              {data.map((a) => (
                <li key={a.id} className="record-part">
                  <Link href={editorPath(a.id)}>{a.title[lang]}</Link>
                  <p className="field__hint">
                    {a.reference} · {t(`alerts.status.${a.status}`)} · {t('alerts.version', { version: a.version })} ·{' '}
                    {format.dateTime(new Date(a.updatedAt), { dateStyle: 'medium' })}
                    {a.urgent ? ` · ${t('alerts.urgent')}` : ''}
                  </p>
                </li>
              ))}
            </ul>
          )
        }
      </ResourceView>
    </>
  );
}

/** `/redaccion/nueva?incidentes=a,b&red=n` (or `?senal=s`): drafts the alert, then opens it. */
export function NewAlertPage() {
  return <RequireSession>{(session) => <NewAlert networks={session.memberships.filter((m) => m.organization.kind === 'network').map((m) => m.organization.id)} />}</RequireSession>;
}

function NewAlert({ networks }: { networks: string[] }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const search = new URLSearchParams(useSearch());
  const [, navigate] = useLocation();
  const [error, setError] = useState<string>();
  useDocumentTitle(t('alerts.new.title'));
  const incidentIds = (search.get('incidentes') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const networkId = search.get('red') ?? networks[0];
  const signalId = search.get('senal') ?? undefined;
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    // A signal brings its own incidents (the server drafts from them); otherwise they are named.
    if (!networkId || (incidentIds.length === 0 && !signalId)) {
      setError(t('alerts.new.missing'));
      return;
    }
    alertsApi.create(networkId, incidentIds, signalId).then(
      (alert) => navigate(editorPath(alert.id), { replace: true }),
      (e: unknown) => setError(errorText(e)),
    );
  });
  return (
    <>
      <h1>{t('alerts.new.title')}</h1>
      {error ? (
        <div className="form-message form-message--error" role="alert">
          <p>{error}</p>
        </div>
      ) : (
        <p role="status">{t('alerts.new.drafting')}</p>
      )}
    </>
  );
}

/** The editor: both languages side by side per section, preview, addressees, the do-no-harm report, approvals and the steps. */
export function AlertEditorPage() {
  const { id = '' } = useParams<{ id: string }>();
  return <RequireSession>{() => <AlertEditor key={id} id={id} />}</RequireSession>;
}

function AlertEditor({ id }: { id: string }) {
  const { t } = useTranslation();
  const loaded = useResource(useCallback((signal: AbortSignal) => alertsApi.get(id, signal), [id]));
  useDocumentTitle(loaded.resource.status === 'loaded' ? t('alerts.editor.heading', { reference: loaded.resource.data.reference }) : t('alerts.editor.title'));
  return <ResourceView resource={loaded.resource}>{(alert) => <Editor initial={alert} />}</ResourceView>;
}

function findingsFrom(error: unknown): DoNoHarmFinding[] | undefined {
  if (!(error instanceof ApiError) || error.reason !== 'do_no_harm') return undefined;
  const details = error.details as { findings?: DoNoHarmFinding[] };
  return details.findings;
}

function Editor({ initial }: { initial: Alert }) {
  const { t } = useTranslation();
  const [alert, setAlert] = useState(initial);
  const [content, setContent] = useState<AlertContent>(initial.content);
  const [findings, setFindings] = useState<DoNoHarmFinding[]>();
  const [note, setNote] = useState('');
  const action = useAction((error) => (findingsFrom(error) ? t('alerts.check.blocked', { count: findingsFrom(error)!.length }) : undefined));
  const editable = alert.nextSteps.includes('edit') || alert.nextSteps.includes('correct');
  const dirty = JSON.stringify(content) !== JSON.stringify(alert.content);

  const setText = (lang: 'es' | 'en', section: AlertSection, value: string) => setContent((c) => ({ ...c, [lang]: { ...c[lang], [section]: value } }));
  const setAddressee = (index: number, lang: 'es' | 'en', value: string) =>
    setContent((c) => ({ ...c, addressees: c.addressees.map((a, i) => (i === index ? { ...a, name: { ...a.name, [lang]: value } } : a)) }));
  const removeAddressee = (index: number) => setContent((c) => ({ ...c, addressees: c.addressees.filter((_, i) => i !== index) }));
  const addAddressee = (addressee: AlertContent['addressees'][number]) => setContent((c) => ({ ...c, addressees: [...c.addressees, addressee] }));

  const after = (next: Alert, message: string) => {
    setAlert(next);
    setContent(next.content);
    setNote('');
    return message;
  };
  const run = (work: () => Promise<string>) =>
    action.run(async () => {
      try {
        return await work();
      } catch (error) {
        const found = findingsFrom(error);
        if (found) setFindings(found);
        throw error;
      }
    });
  const save = (event?: FormEvent) => {
    event?.preventDefault();
    return run(async () => after(await alertsApi.update(alert.id, content, alert.version), t('alerts.editor.saved')));
  };
  const check = () =>
    run(async () => {
      const result = await alertsApi.check(alert.id, content);
      setFindings(result.findings);
      return result.findings.length ? t('alerts.check.found', { count: result.findings.length }) : t('alerts.check.clean');
    });
  const step = (name: 'submit' | 'return' | 'approve' | 'publish' | 'withdraw') =>
    run(async () => {
      const body: Record<string, string> = name === 'return' ? { note } : name === 'withdraw' ? { reason: note } : {};
      const next = await alertsApi.step(alert.id, name, body);
      if (name === 'publish') setFindings([]);
      return after(next, t(`alerts.steps.done.${name}`));
    });
  const correct = () => run(async () => after(await alertsApi.correct(alert.id, content, note), t('alerts.steps.done.correct')));

  return (
    <>
      <p className="kicker">{alert.reference}</p>
      <h1 ref={action.focusAfter} tabIndex={-1}>
        {alert.content.es.title}
      </h1>
      <dl className="facts">
        <dt>{t('alerts.editor.status')}</dt>
        <dd>{t(`alerts.status.${alert.status}`)}</dd>
        <dt>{t('alerts.editor.version')}</dt>
        <dd>{alert.version}</dd>
        <dt>{t('alerts.editor.approvals')}</dt>
        <dd>{t('alerts.editor.approvalsCount', { count: alert.approvals.length, required: alert.approvalsRequired })}</dd>
        {alert.slug && (
          <>
            <dt>{t('alerts.editor.address')}</dt>
            <dd>/alertas/{alert.slug}</dd>
          </>
        )}
      </dl>
      <p>
        <Link href={historyPath(alert.id)}>{t('alerts.editor.history')}</Link>
      </p>
      {alert.publishedAt && (
        <p>
          <Link href={followUpPath(alert.id)}>{t('followUp.link')}</Link>
        </p>
      )}
      <ActionMessages message={action.message} />
      {findings && <FindingsReport findings={findings} />}
      <form onSubmit={save} className="alert-editor">
        {ALERT_SECTIONS.map((section) => (
          <fieldset key={section} className="alert-section">
            <legend>{t(`alerts.sections.${section}`)}</legend>
            <div className="alert-section__languages">
              {LANGS.map((lang) => {
                const here = findings?.filter((f) => f.language === lang && f.section === section) ?? [];
                const fieldId = `alert-${section}-${lang}`;
                return (
                  <div key={lang}>
                    <TextAreaField
                      id={fieldId}
                      label={t(`alerts.languages.${lang}`)}
                      lang={lang}
                      rows={section === 'title' ? 2 : 6}
                      value={content[lang][section]}
                      readOnly={!editable}
                      error={here.length ? here.map((f) => `${t(`alerts.kinds.${f.kind}`)}: «${f.excerpt}» (${t('alerts.check.where', { start: f.start, end: f.end })})`).join(' · ') : undefined}
                      onChange={(e) => setText(lang, section, e.target.value)}
                    />
                  </div>
                );
              })}
            </div>
          </fieldset>
        ))}
        <fieldset className="alert-section">
          <legend>{t('alerts.sections.addressees')}</legend>
          <ul className="plain-list">
            {content.addressees.map((a, index) => (
              <li key={`${a.code}-${a.stateCode ?? ''}`} className="alert-section__languages">
                {LANGS.map((lang) => (
                  <div className="field" key={lang}>
                    <label htmlFor={`addressee-${index}-${lang}`}>{t('alerts.editor.addresseeName', { code: a.code, language: t(`alerts.languages.${lang}`) })}</label>
                    <input id={`addressee-${index}-${lang}`} lang={lang} value={a.name[lang]} readOnly={!editable} onChange={(e) => setAddressee(index, lang, e.target.value)} />
                  </div>
                ))}
                {editable && (
                  <button type="button" className="button-secondary" onClick={() => removeAddressee(index)}>
                    {t('alerts.editor.removeAddressee', { name: a.name.es })}
                  </button>
                )}
              </li>
            ))}
          </ul>
          {editable && <AddresseeForm addressees={content.addressees} onAdd={addAddressee} />}
        </fieldset>
        <details className="alert-preview">
          <summary>{t('alerts.editor.preview')}</summary>
          <div className="alert-section__languages">
            {LANGS.map((lang) => (
              <article key={lang} lang={lang}>
                <h2>{content[lang].title}</h2>
                {ALERT_SECTIONS.filter((s) => s !== 'title').map((section) => (
                  <section key={section}>
                    <h3>{t(`alerts.sections.${section}`, { lng: lang })}</h3>
                    <AlertBody text={content[lang][section]} />
                  </section>
                ))}
              </article>
            ))}
          </div>
        </details>
        <div className="alert-actions">
          {alert.nextSteps.includes('edit') && (
            <button type="submit" disabled={action.busy || !dirty}>
              {t('alerts.editor.save')}
            </button>
          )}
          <button type="button" className="button-secondary" disabled={action.busy} onClick={() => void check()}>
            {t('alerts.check.run')}
          </button>
        </div>
      </form>
      <section aria-labelledby="alert-steps-heading">
        <h2 id="alert-steps-heading">{t('alerts.steps.title')}</h2>
        {dirty && <p className="field__hint">{t('alerts.steps.saveFirst')}</p>}
        {(alert.nextSteps.includes('return') || alert.nextSteps.includes('withdraw') || alert.nextSteps.includes('correct')) && (
          <TextAreaField id="alert-step-note" label={t('alerts.steps.note')} hint={t('alerts.steps.noteHint')} value={note} onChange={(e) => setNote(e.target.value)} />
        )}
        <div className="alert-actions">
          {(['submit', 'approve', 'publish', 'return', 'withdraw'] as const)
            .filter((s) => alert.nextSteps.includes(s))
            .map((s) => (
              <button key={s} type="button" disabled={action.busy || (dirty && s !== 'withdraw')} onClick={() => void step(s)}>
                {t(`alerts.steps.${s}`)}
              </button>
            ))}
          {alert.nextSteps.includes('correct') && (
            <button type="button" disabled={action.busy || !dirty || !note.trim()} onClick={() => void correct()}>
              {t('alerts.steps.correct')}
            </button>
          )}
        </div>
        {alert.nextSteps.length === 0 && <p>{t('alerts.steps.none')}</p>}
      </section>
    </>
  );
}

/** What the do-no-harm check found, each with its language, section and place in the text. */
function FindingsReport({ findings }: { findings: DoNoHarmFinding[] }) {
  const { t } = useTranslation();
  if (findings.length === 0) {
    return (
      <div className="form-message form-message--success" role="status">
        <p>{t('alerts.check.clean')}</p>
      </div>
    );
  }
  return (
    <section className="form-message form-message--error do-no-harm" aria-labelledby="do-no-harm-heading">
      <h2 id="do-no-harm-heading">{t('alerts.check.title', { count: findings.length })}</h2>
      <ul>
        {findings.map((f, i) => (
          <li key={i}>
            <a href={`#alert-${f.section}-${f.language}`}>
              {t(`alerts.kinds.${f.kind}`)} — {t(`alerts.sections.${f.section}`)} ({t(`alerts.languages.${f.language}`)})
            </a>
            : «{f.excerpt}» ({t('alerts.check.where', { start: f.start, end: f.end })})
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Every version of an alert, newest first, with what changed. */
export function AlertHistoryPage() {
  const { id = '' } = useParams<{ id: string }>();
  return <RequireSession>{() => <AlertHistory key={id} id={id} />}</RequireSession>;
}

function AlertHistory({ id }: { id: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const history = useResource(useCallback((signal: AbortSignal) => Promise.all([alertsApi.get(id, signal), alertsApi.versions(id, signal)]), [id]));
  useDocumentTitle(t('alerts.history.title'));
  return (
    <ResourceView resource={history.resource}>
      {([alert, { data }]) => (
        <>
          <h1>{t('alerts.history.heading', { reference: alert.reference })}</h1>
          <p>
            <Link href={editorPath(alert.id)}>{t('alerts.history.back')}</Link>
          </p>
          <ol className="plain-list history">
            {data.map((v: AlertVersion) => (
              <li key={v.version} className="record-part history-entry">
                <h2 className="history-entry__title">{t('alerts.history.summary', { version: v.version, kind: t(`alerts.history.kinds.${v.changeKind as 'created'}`, { defaultValue: v.changeKind }) })}</h2>
                <p className="field__hint">
                  {v.changedByName ?? t('alerts.history.someone')} · <time dateTime={v.changedAt}>{format.dateTime(new Date(v.changedAt), { dateStyle: 'long', timeStyle: 'short' })}</time> ·{' '}
                  {t(`alerts.status.${v.status}`)}
                </p>
                {v.note && <p className="history-note">{v.note}</p>}
                {v.changes.length > 0 && (
                  <details className="history-diff">
                    <summary>{t('alerts.history.changes', { count: v.changes.length })}</summary>
                    <dl className="facts">
                      {v.changes.map((c) => (
                        <div key={c.path}>
                          <dt>
                            <PathLabel path={c.path} />
                          </dt>
                          <dd>
                            {c.before !== undefined && <del>{String(typeof c.before === 'object' ? JSON.stringify(c.before) : c.before)}</del>}{' '}
                            {c.after !== undefined && <ins>{String(typeof c.after === 'object' ? JSON.stringify(c.after) : c.after)}</ins>}
                          </dd>
                        </div>
                      ))}
                    </dl>
                  </details>
                )}
              </li>
            ))}
          </ol>
        </>
      )}
    </ResourceView>
  );
}

/** "es.summary" → "Resumen (Español)"; other paths as they are. */
function PathLabel({ path }: { path: string }) {
  const { t } = useTranslation();
  const [lang, section] = path.split('.');
  if ((lang === 'es' || lang === 'en') && section && (ALERT_SECTIONS as readonly string[]).includes(section)) {
    return <>{`${t(`alerts.sections.${section as AlertSection}`)} (${t(`alerts.languages.${lang}`)})`}</>;
  }
  return <>{path}</>;
}
