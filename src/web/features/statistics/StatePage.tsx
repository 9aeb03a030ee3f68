import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearch } from 'wouter';
import { STATISTICS_PATHS } from '../../../domain/statistics-paths';
import { ApiError } from '../../api/client';
import { getStateMunicipalities } from '../../api/statistics';
import { useDocumentTitle } from '../../components/use-document-title';
import type { Language } from '../../i18n/languages';
import { useLoad, usePathLanguage } from '../public-alerts/shared';
import { FigureTable } from './charts';
import { filterFromSearch } from './DashboardPage';

/** One state's figure and its municipalities as a table, for the period in the address. */
function StatePage({ language }: { language: Language }) {
  const ready = usePathLanguage(language);
  const { t } = useTranslation();
  const { code = '' } = useParams<{ code: string }>();
  const search = useSearch();
  const { from, to } = filterFromSearch(search);
  const result = useLoad(() => getStateMunicipalities(code, { from, to }, language), [code, search, language]);
  const state = result.data?.state;
  useDocumentTitle(state ? t('statistics.state.title', { state: state.label }) : t('statistics.title'));
  if (!ready) return null;
  const back = (
    <p>
      <Link href={STATISTICS_PATHS[language].dashboard}>{t('statistics.state.back')}</Link>
    </p>
  );
  if (result.loading && !result.data) return <p role="status">{t('statistics.loading')}</p>;
  if (result.error || !result.data || !state) {
    const notFound = result.error instanceof ApiError && (result.error.status === 404 || result.error.status === 400);
    return (
      <section className="statistics">
        <h1>{notFound ? t('statistics.state.notFound') : t('statistics.title')}</h1>
        {notFound ? null : <p role="alert">{t('statistics.loadFailed')}</p>}
        {back}
      </section>
    );
  }
  return (
    <section className="statistics" aria-labelledby="state-heading">
      <h1 id="state-heading">{t('statistics.state.title', { state: state.label })}</h1>
      {back}
      <p className="statistics-total">{t('statistics.state.total', { figure: state.display })}</p>
      <h2>{t('statistics.state.municipalities')}</h2>
      {result.data.data.length === 0 ? (
        <p>{t('statistics.state.empty')}</p>
      ) : (
        <FigureTable caption={t('statistics.state.municipalities')} keyHeading={t('statistics.table.municipality')} cells={result.data.data} />
      )}
    </section>
  );
}

export function SpanishStatePage() {
  return <StatePage language="es" />;
}

export function EnglishStatePage() {
  return <StatePage language="en" />;
}
