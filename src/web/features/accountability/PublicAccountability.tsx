import { useTranslation } from 'react-i18next';
import { getPublicAccountability } from '../../api/public-alerts';
import type { Language } from '../../i18n/languages';
import { formatDay, useLoad } from '../public-alerts/shared';

/**
 * Which authorities a published alert was sent to, and for each whether it answered (when, with the
 * network's summary of the answer), is overdue, or is still within its time to answer.
 */
export function PublicAccountability({ slug, language }: { slug: string; language: Language }) {
  const { t } = useTranslation();
  const { data, error } = useLoad(() => getPublicAccountability(slug), [slug]);
  if (error) return <p role="alert">{t('accountability.loadFailed')}</p>;
  if (!data || data.addressees.length === 0) return null;
  return (
    <section className="accountability" aria-labelledby="accountability-heading">
      <h2 id="accountability-heading">{t('accountability.title')}</h2>
      <ul>
        {data.addressees.map((a) => (
          <li key={`${a.addresseeCode}-${a.stateCode ?? ''}`} className={`accountability-item accountability-item--${a.status}`}>
            <strong>{a.addresseeName[language]}</strong>{' '}
            <span className={`alert-badge accountability-badge--${a.status}`}>{t(`accountability.status.${a.status}`)}</span>
            <p className="alert-meta">
              {t('accountability.sentOn', { date: formatDay(a.sentOn, language) })}
              {' · '}
              {t('accountability.dueOn', { date: formatDay(a.dueOn, language) })}
            </p>
            {a.responses.map((r) => (
              <p key={`${r.receivedOn}-${r.summary.slice(0, 20)}`}>
                {t('accountability.answeredOn', { date: formatDay(r.receivedOn, language) })}: {r.summary}
                {r.document && (
                  <>
                    {' '}
                    <a href={r.document.url} download>
                      {t('accountability.document', {
                        name: a.addresseeName[language],
                        date: formatDay(r.receivedOn, language),
                        type: r.document.mimeType === 'application/pdf' ? t('accountability.documentPdf') : t('accountability.documentImage'),
                      })}
                    </a>
                  </>
                )}
              </p>
            ))}
          </li>
        ))}
      </ul>
    </section>
  );
}
