import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'wouter';
import { PUBLIC_ALERT_PATHS, publicAlertPdfPath } from '../../../domain/public-alert-paths';
import { ApiError } from '../../api/client';
import { getPublicAlert, type PublicAlert } from '../../api/public-alerts';
import { useDocumentTitle } from '../../components/use-document-title';
import type { Language } from '../../i18n/languages';
import NotFoundPage from '../not-found/NotFoundPage';
import { AlertBody } from '../../components/AlertBody';
import { formatDay, useLoad, usePathLanguage } from './shared';

const SECTIONS = ['summary', 'facts', 'cases', 'legalFramework', 'recommendations'] as const;

/**
 * What is placed after the alert's text, for a published alert: the lead puts the public account of
 * which authorities answered here (`<PublicAccountability slug=… language=… />`).
 */
export type AccountabilitySlot = (alert: { slug: string; language: Language }) => ReactNode;

/** One public alert: its text as published, its corrections, or, once withdrawn, only the notice. */
export function AlertPage({ language, accountability }: { language: Language; accountability?: AccountabilitySlot }) {
  const { slug = '' } = useParams<{ slug: string }>();
  const { t } = useTranslation();
  const { data: alert, error, loading } = useLoad(() => getPublicAlert(slug), [slug]);
  // An address with no alert is any unknown page: "not found" in the reader's language (English under /en).
  const ready = usePathLanguage(language, alert !== undefined || language !== 'es');
  useDocumentTitle(alert ? (alert.withdrawal ? `${t('publicAlerts.withdrawn')}: ${alert.title[language]}` : alert.title[language]) : t('publicAlerts.title'));

  if (error instanceof ApiError && error.status === 404) return <NotFoundPage />;
  if (loading && !alert) return <p role="status">{t('publicAlerts.loading')}</p>;
  if (!alert) return <p role="alert">{t('publicAlerts.loadFailed')}</p>;
  if (!ready) return null;
  return (
    <article className="public-alert" aria-labelledby="alert-heading">
      <p className="no-print">
        <Link href={PUBLIC_ALERT_PATHS[language].list}>{t('publicAlerts.backToList')}</Link>
      </p>
      {alert.urgent && !alert.withdrawal ? <p className="alert-badge alert-badge--urgent">{t('publicAlerts.urgent')}</p> : null}
      <h1 id="alert-heading">{alert.title[language]}</h1>
      <p className="alert-meta">
        <time dateTime={alert.publishedAt}>{t('publicAlerts.publishedOn', { date: formatDay(alert.publishedAt, language) })}</time>
        {' · '}
        {t('publicAlerts.period', { from: formatDay(alert.period.from, language), to: formatDay(alert.period.to, language) })}
      </p>
      {alert.withdrawal ? <Withdrawn alert={alert} language={language} /> : <Published alert={alert} language={language} />}
      {!alert.withdrawal && accountability ? accountability({ slug: alert.slug, language }) : null}
    </article>
  );
}

function Withdrawn({ alert, language }: { alert: PublicAlert; language: Language }) {
  const { t } = useTranslation();
  return (
    <div className="alert-withdrawn" role="note">
      <p>
        <strong>{t('publicAlerts.withdrawnNotice', { date: formatDay(alert.withdrawal!.at, language) })}</strong>
      </p>
      {alert.withdrawal!.reason ? <p>{t('publicAlerts.withdrawnReason', { reason: alert.withdrawal!.reason })}</p> : null}
    </div>
  );
}

function Published({ alert, language }: { alert: PublicAlert; language: Language }) {
  const { t } = useTranslation();
  const text = alert.text![language];
  return (
    <>
      <p className="alert-actions no-print">
        <a href={publicAlertPdfPath(language, alert.slug)} type="application/pdf">
          {t('publicAlerts.pdf')}
        </a>
        <button type="button" onClick={() => window.print()}>
          {t('publicAlerts.print')}
        </button>
      </p>
      {alert.addressees.length > 0 ? (
        <section aria-labelledby="alert-addressees">
          <h2 id="alert-addressees">{t('publicAlerts.addressees')}</h2>
          <ul>
            {alert.addressees.map((a) => (
              <li key={`${a.code}-${a.stateCode ?? ''}`}>{a.name[language]}</li>
            ))}
          </ul>
        </section>
      ) : null}
      {SECTIONS.map((section) =>
        text[section].trim() ? (
          <section key={section} aria-labelledby={`alert-${section}`}>
            <h2 id={`alert-${section}`}>{t(`publicAlerts.sections.${section}`)}</h2>
            <AlertBody text={text[section]} />
          </section>
        ) : null,
      )}
      {alert.corrections.length > 0 ? (
        <section aria-labelledby="alert-corrections" className="alert-corrections">
          <h2 id="alert-corrections">{t('publicAlerts.corrections')}</h2>
          <ul>
            {alert.corrections.map((c) => (
              <li key={c.version}>
                <time dateTime={c.at}>{t('publicAlerts.correctedOn', { date: formatDay(c.at, language) })}</time>: {c.note}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}

export function SpanishAlertPage() {
  return <AlertPage language="es" />;
}

export function EnglishAlertPage() {
  return <AlertPage language="en" />;
}
