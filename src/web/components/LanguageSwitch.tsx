import { useTranslation } from 'react-i18next';
import { useLocation } from 'wouter';
import { alternatePublicAlertPath } from '../../domain/public-alert-paths';
import { alternateStatisticsPath } from '../../domain/statistics-paths';
import { chooseLanguage } from '../i18n';
import { LANGUAGES } from '../i18n/languages';

/**
 * One button per language, each written in its own language (and marked so, for screen readers),
 * so that someone who cannot read the current one can still find theirs.
 */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const current = i18n.resolvedLanguage;
  const [location, navigate] = useLocation();
  return (
    <div className="language-switch" role="group" aria-labelledby="language-switch-label">
      <span id="language-switch-label" className="visually-hidden">
        {t('language.label')}
      </span>
      {LANGUAGES.map((language) => (
        <button
          key={language}
          type="button"
          lang={language}
          aria-pressed={current === language}
          onClick={() => {
            // Pages addressed per language (public alerts, statistics) go to the same page in the chosen
            // language; the statistics keep their filters.
            const statistics = alternateStatisticsPath(location, language);
            const alternate = alternatePublicAlertPath(location, language) ?? (statistics && `${statistics}${window.location.search}`);
            if (alternate && alternate !== location) navigate(alternate);
            void chooseLanguage(language);
          }}
        >
          {t(`language.names.${language}`)}
        </button>
      ))}
    </div>
  );
}
