import type { AlertLanguage } from './alert.js';

/**
 * The public statistics pages' addresses in each language: the dashboard, one state's page and the
 * open-data downloads. Spanish is the default (/estadisticas, /datos), English lives under /en. Pages
 * and the language switch build addresses here, so they cannot disagree.
 */
export const STATISTICS_PATHS = {
  es: { dashboard: '/estadisticas', states: '/estadisticas/estados', data: '/datos' },
  en: { dashboard: '/en/statistics', states: '/en/statistics/states', data: '/en/data' },
} as const satisfies Record<AlertLanguage, { dashboard: string; states: string; data: string }>;

export function statisticsStatePath(language: AlertLanguage, code: string): string {
  return `${STATISTICS_PATHS[language].states}/${encodeURIComponent(code)}`;
}

/** The same statistics page in the other language (the language switch uses it); null off these pages. */
export function alternateStatisticsPath(pathname: string, language: AlertLanguage): string | null {
  const trimmed = pathname.replace(/\/+$/, '') || '/';
  for (const from of ['es', 'en'] as const) {
    const paths = STATISTICS_PATHS[from];
    if (trimmed === paths.dashboard) return STATISTICS_PATHS[language].dashboard;
    if (trimmed === paths.data) return STATISTICS_PATHS[language].data;
    if (trimmed.startsWith(`${paths.states}/`)) {
      const code = trimmed.slice(paths.states.length + 1);
      if (code.length > 0 && !code.includes('/')) return `${STATISTICS_PATHS[language].states}/${code}`;
    }
  }
  return null;
}
