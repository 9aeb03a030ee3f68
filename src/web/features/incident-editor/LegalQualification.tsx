import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { DEFAULT_LANGUAGE, isLanguage } from '../../i18n/languages';
import type { LegalFinding } from './api';

/**
 * The legal qualification the server computed on saving: each rule the record appears to break, with
 * its citation and the reasons drawn from the record. A rule whose wording is not yet confirmed says so,
 * with what remains to confirm, so nobody quotes it as settled law.
 */
export function LegalQualification({ findings }: { findings: LegalFinding[] }) {
  const { t, i18n } = useTranslation();
  const headingId = useId();
  const language = isLanguage(i18n.resolvedLanguage) ? i18n.resolvedLanguage : DEFAULT_LANGUAGE;
  return (
    <section className="legal" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('editor.legal.heading')}</h2>
      {findings.length === 0 ? (
        <p>{t('editor.legal.none')}</p>
      ) : (
        <ul className="legal__findings">
          {findings.map((finding) => (
            <li key={finding.ruleId} className="legal__finding">
              <h3>
                {finding.title[language]}{' '}
                {finding.status === 'to_confirm' && <span className="badge badge--to-confirm">{t('editor.legal.toConfirm')}</span>}
              </h3>
              <p className="legal__citation">{finding.citation[language]}</p>
              <p>{finding.statement[language]}</p>
              <p>
                <strong>{t('editor.legal.reasons')}</strong> {finding.reasons[language]}
              </p>
              {finding.status === 'to_confirm' && finding.toConfirm && (
                <p className="legal__to-confirm">
                  <strong>{t('editor.legal.toConfirmNote')}</strong> {finding.toConfirm[language]}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
