import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { PUBLIC_ALERT_PATHS, publicAlertPath } from '../../../domain/public-alert-paths';
import { alertFilterOptions, listPublicAlerts, type AlertFilter, type PublicAlertSummary } from '../../api/public-alerts';
import { useDocumentTitle } from '../../components/use-document-title';
import type { Language } from '../../i18n/languages';
import { formatDay, useLoad, usePathLanguage } from './shared';

/** The public list of alerts, newest first, filtered by state and act type, a page at a time. */
function AlertListPage({ language }: { language: Language }) {
  const ready = usePathLanguage(language);
  const { t } = useTranslation();
  useDocumentTitle(t('publicAlerts.title'));
  const [filter, setFilter] = useState<AlertFilter>({});
  const [more, setMore] = useState<{ items: PublicAlertSummary[]; nextCursor: string | null } | null>(null);
  const first = useLoad(() => listPublicAlerts(filter), [filter]);
  const options = useLoad(() => alertFilterOptions(language), [language]);
  const items = [...(first.data?.data ?? []), ...(more?.items ?? [])];
  const nextCursor = more ? more.nextCursor : (first.data?.nextCursor ?? null);

  function applyFilter(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setMore(null);
    setFilter({ state: String(form.get('state') ?? '') || undefined, actType: String(form.get('actType') ?? '') || undefined });
  }

  async function loadMore() {
    if (!nextCursor) return;
    const page = await listPublicAlerts({ ...filter, cursor: nextCursor });
    setMore({ items: [...(more?.items ?? []), ...page.data], nextCursor: page.nextCursor });
  }

  if (!ready) return null;
  return (
    <section className="public-alerts" aria-labelledby="alerts-heading">
      <h1 id="alerts-heading">{t('publicAlerts.title')}</h1>
      <p className="lead">{t('publicAlerts.intro')}</p>
      <p>
        <a href={PUBLIC_ALERT_PATHS[language].feed} type="application/atom+xml">
          {t('publicAlerts.feed')}
        </a>
        {' · '}
        <Link href={language === 'es' ? '/suscribirse' : '/en/subscribe'}>{t('subscriptions.link')}</Link>
      </p>
      <form className="alert-filters" aria-label={t('publicAlerts.filters.label')} onSubmit={applyFilter}>
        <label>
          {t('publicAlerts.filters.state')}
          <select name="state" defaultValue="">
            <option value="">{t('publicAlerts.filters.any')}</option>
            {options.data?.states.map((s) => (
              <option key={s.code} value={s.code}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('publicAlerts.filters.actType')}
          <select name="actType" defaultValue="">
            <option value="">{t('publicAlerts.filters.any')}</option>
            {options.data?.actTypes.map((a) => (
              <option key={a.code} value={a.code}>
                {a.label}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t('publicAlerts.filters.apply')}</button>
      </form>
      {first.loading && !first.data ? (
        <p role="status">{t('publicAlerts.loading')}</p>
      ) : first.error ? (
        <p role="alert">{t('publicAlerts.loadFailed')}</p>
      ) : items.length === 0 ? (
        <p role="status">{t('publicAlerts.empty')}</p>
      ) : (
        <ol className="alert-list">
          {items.map((alert) => (
            <li key={alert.slug} className={alert.urgent && !alert.withdrawal ? 'alert-card alert-card--urgent' : 'alert-card'}>
              <h2>
                <Link href={publicAlertPath(language, alert.slug)}>{alert.title[language]}</Link>
              </h2>
              <p className="alert-meta">
                {alert.withdrawal ? (
                  <span className="alert-badge alert-badge--withdrawn">{t('publicAlerts.withdrawn')}</span>
                ) : alert.urgent ? (
                  <span className="alert-badge alert-badge--urgent">{t('publicAlerts.urgent')}</span>
                ) : null}{' '}
                <time dateTime={alert.publishedAt}>{t('publicAlerts.publishedOn', { date: formatDay(alert.publishedAt, language) })}</time>
              </p>
              {alert.summary ? <p>{alert.summary[language]}</p> : null}
            </li>
          ))}
        </ol>
      )}
      {nextCursor ? (
        <button type="button" onClick={() => void loadMore()}>
          {t('publicAlerts.more')}
        </button>
      ) : null}
    </section>
  );
}

export function SpanishAlertListPage() {
  return <AlertListPage language="es" />;
}

export function EnglishAlertListPage() {
  return <AlertListPage language="en" />;
}
