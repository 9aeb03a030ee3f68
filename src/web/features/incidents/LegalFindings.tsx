import { useTranslation } from 'react-i18next';
import type { LegalFinding } from '../../api/incidents';
import { useReferenceLanguage } from './labels';

/**
 * The legal qualification computed from the rules (DOMAIN.md §4): each rule the record appears to
 * break, its citation, why it applies, and a plain "to be confirmed" badge where the rule's wording or
 * article is not yet verified, so nobody quotes it as settled.
 */
export function LegalFindings({ findings }: { findings: LegalFinding[] }) {
  const { t } = useTranslation();
  const lang = useReferenceLanguage();
  return (
    <section className="panel panel--wide" aria-labelledby="legal-heading">
      <h2 id="legal-heading">{t('incidents.legal.heading')}</h2>
      <p className="field__hint">{t('incidents.legal.intro')}</p>
      {findings.length === 0 ? (
        <p>{t('incidents.legal.none')}</p>
      ) : (
        <ul className="plain-list record-parts">
          {findings.map((finding) => (
            <li key={finding.ruleId} className="record-part legal-finding">
              <h3>
                {finding.ruleId} · {finding.title[lang]}{' '}
                {finding.status === 'to_confirm' ? (
                  <span className="badge badge--warning">{t('incidents.legal.toConfirm')}</span>
                ) : (
                  <span className="badge">{t('incidents.legal.verified')}</span>
                )}
              </h3>
              <p>{finding.statement[lang]}</p>
              <dl className="facts">
                <dt>{t('incidents.legal.citation')}</dt>
                <dd>
                  <cite>{finding.citation[lang]}</cite>
                </dd>
                <dt>{t('incidents.legal.reasons')}</dt>
                <dd>{finding.reasons[lang]}</dd>
                {finding.toConfirm && (
                  <>
                    <dt>{t('incidents.legal.toConfirmNote')}</dt>
                    <dd>{finding.toConfirm[lang]}</dd>
                  </>
                )}
                <dt>{t('incidents.legal.recommendation')}</dt>
                <dd>{finding.recommendation[lang]}</dd>
              </dl>
              {finding.actIds.length > 0 && <p className="field__hint">{t('incidents.legal.acts', { acts: finding.actIds.join(', ') })}</p>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
