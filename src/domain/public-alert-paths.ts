import type { AlertLanguage } from './alert.js';

/**
 * The public addresses of alerts in each language: the list, one alert, its feed and its PDF. The
 * Spanish pages are the default (/alertas), the English ones live under /en (/en/alerts). Pages, the
 * server's meta tags, feeds and the language switch all build addresses here, so they cannot disagree.
 */
export const PUBLIC_ALERT_PATHS = {
  es: { list: '/alertas', feed: '/alertas.atom' },
  en: { list: '/en/alerts', feed: '/en/alerts.atom' },
} as const satisfies Record<AlertLanguage, { list: string; feed: string }>;

export function publicAlertPath(language: AlertLanguage, slug: string): string {
  return `${PUBLIC_ALERT_PATHS[language].list}/${encodeURIComponent(slug)}`;
}

export function publicAlertPdfPath(language: AlertLanguage, slug: string): string {
  return `/api/v1/public/alerts/${encodeURIComponent(slug)}/pdf?lang=${language}`;
}

/** What a public alert path names: the list or one alert, and in which language; null for any other path. */
export function parsePublicAlertPath(pathname: string): { language: AlertLanguage; slug: string | null } | null {
  const trimmed = pathname.replace(/\/+$/, '') || '/';
  for (const language of ['es', 'en'] as const) {
    const list = PUBLIC_ALERT_PATHS[language].list;
    if (trimmed === list) return { language, slug: null };
    if (trimmed.startsWith(`${list}/`)) {
      const rest = trimmed.slice(list.length + 1);
      if (rest.length > 0 && !rest.includes('/')) {
        try {
          return { language, slug: decodeURIComponent(rest) };
        } catch {
          return null;
        }
      }
    }
  }
  return null;
}

/** The same page in the other language (the language switch and hreflang use it); null off the alert pages. */
export function alternatePublicAlertPath(pathname: string, language: AlertLanguage): string | null {
  const parsed = parsePublicAlertPath(pathname);
  if (!parsed) return null;
  return parsed.slug === null ? PUBLIC_ALERT_PATHS[language].list : publicAlertPath(language, parsed.slug);
}
