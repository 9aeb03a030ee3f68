import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { STATISTICS_PATHS } from '../../../domain/statistics-paths';
import { useDocumentTitle } from '../../components/use-document-title';
import type { Language } from '../../i18n/languages';
import { usePathLanguage } from '../public-alerts/shared';

const OPEN_DATA = '/api/v1/open-data';
const DOWNLOADS = [
  ['csv', `${OPEN_DATA}/incidents.csv`],
  ['hxl', `${OPEN_DATA}/incidents.hxl.csv`],
  ['json', `${OPEN_DATA}/incidents.json`],
  ['geojson', `${OPEN_DATA}/incidents.geojson`],
  ['dictionary', `${OPEN_DATA}/dictionary`],
] as const;

/** The open-data downloads, with their licence (CC BY 4.0) and the INEGI credit for the geography. */
function DataPage({ language }: { language: Language }) {
  const ready = usePathLanguage(language);
  const { t } = useTranslation();
  useDocumentTitle(t('statistics.data.title'));
  if (!ready) return null;
  return (
    <section className="statistics" aria-labelledby="data-heading">
      <h1 id="data-heading">{t('statistics.data.title')}</h1>
      <p className="lead">{t('statistics.data.intro')}</p>
      <h2>{t('statistics.data.downloads')}</h2>
      <ul className="downloads">
        {DOWNLOADS.map(([name, href]) => (
          <li key={name}>
            <a href={href} download>
              {t(`statistics.data.${name}`)}
            </a>{' '}
            — {t(`statistics.data.${name}Help`)}
          </li>
        ))}
      </ul>
      <h2>{t('statistics.data.licenceHeading')}</h2>
      <p>
        {t('statistics.data.licence')}{' '}
        <a href="https://creativecommons.org/licenses/by/4.0/" rel="license">
          CC BY 4.0
        </a>
        . {t('statistics.data.attribution')}
      </p>
      <p>{t('statistics.data.inegi')}</p>
      <p>
        <Link href={STATISTICS_PATHS[language].dashboard}>{t('statistics.data.statisticsLink')}</Link>
      </p>
    </section>
  );
}

export function SpanishDataPage() {
  return <DataPage language="es" />;
}

export function EnglishDataPage() {
  return <DataPage language="en" />;
}
