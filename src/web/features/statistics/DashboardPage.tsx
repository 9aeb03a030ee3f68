import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useSearch } from 'wouter';
import { STATISTICS_PATHS, statisticsStatePath } from '../../../domain/statistics-paths';
import { FILTER_KEYS, getDashboard, getStateMap, vocabularyTerms, type StatisticsFilter } from '../../api/statistics';
import { useDocumentTitle } from '../../components/use-document-title';
import type { Language } from '../../i18n/languages';
import { useLoad, usePathLanguage } from '../public-alerts/shared';
import { BreakdownBars, ChoroplethMap, FigureTable, MonthlyBars } from './charts';

/** The filters as the address gives them: the query is the page's state, so a filtered view can be shared. */
export function filterFromSearch(search: string): StatisticsFilter {
  const params = new URLSearchParams(search);
  const filter: StatisticsFilter = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (value) filter[key] = value;
  }
  return filter;
}

function DashboardPage({ language }: { language: Language }) {
  const ready = usePathLanguage(language);
  const { t } = useTranslation();
  useDocumentTitle(t('statistics.title'));
  const search = useSearch();
  const [, navigate] = useLocation();
  const filter = filterFromSearch(search);
  const paths = STATISTICS_PATHS[language];
  const dashboard = useLoad(() => getDashboard(filter, language), [search, language]);
  const map = useLoad(getStateMap, []);
  const options = useLoad(
    () => Promise.all([getDashboard({}, language), vocabularyTerms('act_types', language), vocabularyTerms('perpetrator_types', language)]),
    [language],
  );

  function applyFilter(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const params = new URLSearchParams();
    for (const key of FILTER_KEYS) {
      const value = String(form.get(key) ?? '');
      if (value) params.set(key, value);
    }
    const query = params.toString();
    navigate(query ? `${paths.dashboard}?${query}` : paths.dashboard);
  }

  if (!ready) return null;
  const d = dashboard.data;
  const select = (name: 'state' | 'act' | 'perpetrator', items: { code: string; label: string }[] | undefined) => (
    <label>
      {t(`statistics.filters.${name}`)}
      <select name={name} defaultValue={filter[name] ?? ''} key={`${name}-${filter[name] ?? ''}-${items?.length ?? 0}`}>
        <option value="">{t('statistics.filters.any')}</option>
        {items?.map((item) => (
          <option key={item.code} value={item.code}>
            {item.label}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <section className="statistics" aria-labelledby="statistics-heading">
      <h1 id="statistics-heading">{t('statistics.title')}</h1>
      <p className="lead">{t('statistics.intro', { threshold: d?.threshold ?? 3 })}</p>
      <p>
        <Link href={paths.data}>{t('statistics.dataLink')}</Link>
      </p>
      <form className="statistics-filters" aria-label={t('statistics.filters.label')} onSubmit={applyFilter} key={search}>
        <label>
          {t('statistics.filters.from')}
          <input type="month" name="from" defaultValue={filter.from ?? ''} />
        </label>
        <label>
          {t('statistics.filters.to')}
          <input type="month" name="to" defaultValue={filter.to ?? ''} />
        </label>
        {select('state', options.data?.[0].byState.map((s) => ({ code: s.key, label: s.label })))}
        {select('act', options.data?.[1])}
        {select('perpetrator', options.data?.[2])}
        <button type="submit">{t('statistics.filters.apply')}</button>
        {search ? <Link href={paths.dashboard}>{t('statistics.filters.clear')}</Link> : null}
      </form>
      {dashboard.loading && !d ? (
        <p role="status">{t('statistics.loading')}</p>
      ) : dashboard.error || !d ? (
        <p role="alert">{t('statistics.loadFailed')}</p>
      ) : (
        <>
          <p className="statistics-total" role="status">
            {t('statistics.total', { figure: d.total.display })}
          </p>
          <section aria-labelledby="map-heading">
            <h2 id="map-heading">{t('statistics.map.heading')}</h2>
            {map.data ? <ChoroplethMap map={map.data} cells={d.byState} threshold={d.threshold} statePath={(code) => statisticsStatePath(language, code)} /> : null}
            <FigureTable
              caption={t('statistics.map.heading')}
              keyHeading={t('statistics.table.state')}
              cells={d.byState}
              link={(cell) => statisticsStatePath(language, cell.key)}
            />
          </section>
          <section aria-labelledby="monthly-heading">
            <h2 id="monthly-heading">{t('statistics.monthly.heading')}</h2>
            <MonthlyBars cells={d.byMonth} />
            <FigureTable caption={t('statistics.monthly.heading')} keyHeading={t('statistics.table.month')} cells={d.byMonth} />
          </section>
          {(
            [
              ['acts', 'act', d.byActType],
              ['perpetrators', 'perpetrator', d.byPerpetratorType],
              ['places', 'place', d.byPlaceType],
            ] as const
          ).map(([section, column, cells]) => (
            <section key={section} aria-labelledby={`${section}-heading`}>
              <h2 id={`${section}-heading`}>{t(`statistics.${section}.heading`)}</h2>
              <BreakdownBars cells={cells} />
              <FigureTable caption={t(`statistics.${section}.heading`)} keyHeading={t(`statistics.table.${column}`)} cells={cells} />
            </section>
          ))}
        </>
      )}
    </section>
  );
}

export function SpanishDashboardPage() {
  return <DashboardPage language="es" />;
}

export function EnglishDashboardPage() {
  return <DashboardPage language="en" />;
}
