import type { Kysely } from 'kysely';
import { findPublicAlert } from '../db/repositories/public-alerts.repository.js';
import type { DB } from '../db/schema.js';
import type { AlertLanguage } from '../domain/alert.js';
import { alternatePublicAlertPath, parsePublicAlertPath, PUBLIC_ALERT_PATHS } from '../domain/public-alert-paths.js';
import { escapeXml } from './public-alert-feed.js';
import { presentPublicAlert } from './public-alert.presenter.js';

/** What the server puts in the page's <head> before sending the app: the app replaces nothing of it. */
export interface PageHead {
  status: number;
  language: AlertLanguage;
  title: string;
  description: string;
  /** Further tags (canonical, alternates, Open Graph, Twitter), already escaped. */
  tags: string;
}

const LIST_TEXT = {
  es: { title: 'Alertas públicas', description: 'Alertas públicas de Vigía sobre agresiones a albergues y personas defensoras de migrantes en México, dirigidas a las autoridades responsables.', feed: 'Alertas de Vigía (Atom)', withdrawn: 'Alerta retirada', locale: 'es_MX' },
  en: { title: 'Public alerts', description: 'Vigía’s public alerts on attacks against migrant shelters and defenders in Mexico, addressed to the responsible authorities.', feed: 'Vigía alerts (Atom)', withdrawn: 'Alert withdrawn', locale: 'en_US' },
} as const;

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

/**
 * The head of a public alert page (/alertas, /alertas/:slug, /en/alerts, /en/alerts/:slug): title,
 * description, canonical address, hreflang alternates, the Atom feed, Open Graph and Twitter tags, so
 * that a shared link shows the alert without running the app. Undefined for any other path; status 404
 * for an address with no published alert.
 */
export async function publicAlertPageHead(db: Kysely<DB>, pathname: string, baseUrl: string): Promise<PageHead | undefined> {
  const parsed = parsePublicAlertPath(pathname);
  if (!parsed) return undefined;
  const { language, slug } = parsed;
  const text = LIST_TEXT[language];
  const absolute = (path: string) => `${baseUrl}${path}`;
  let title: string = text.title;
  let description: string = text.description;
  let type = 'website';
  const extra: string[] = [];
  if (slug !== null) {
    const record = /^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug) ? await findPublicAlert(db, slug) : undefined;
    if (!record) return { status: 404, language, title: '', description: '', tags: '' };
    const alert = presentPublicAlert(record);
    title = alert.withdrawal ? `${text.withdrawn}: ${alert.title[language]}` : alert.title[language];
    description = clip(alert.withdrawal ? `${text.withdrawn}. ${alert.withdrawal.reason ?? ''}` : (alert.text?.[language].summary ?? ''), 300);
    type = 'article';
    extra.push(`<meta property="article:published_time" content="${escapeXml(alert.publishedAt)}">`, `<meta property="article:modified_time" content="${escapeXml(alert.updatedAt)}">`);
  }
  const canonical = absolute(alternatePublicAlertPath(pathname, language)!);
  const alternates = (['es', 'en'] as const).map(
    (l) => `<link rel="alternate" hreflang="${l}" href="${escapeXml(absolute(alternatePublicAlertPath(pathname, l)!))}">`,
  );
  const tags = [
    `<link rel="canonical" href="${escapeXml(canonical)}">`,
    ...alternates,
    `<link rel="alternate" hreflang="x-default" href="${escapeXml(absolute(alternatePublicAlertPath(pathname, 'es')!))}">`,
    `<link rel="alternate" type="application/atom+xml" title="${escapeXml(text.feed)}" href="${escapeXml(absolute(PUBLIC_ALERT_PATHS[language].feed))}">`,
    `<meta property="og:type" content="${type}">`,
    `<meta property="og:site_name" content="Vigía">`,
    `<meta property="og:title" content="${escapeXml(title)}">`,
    `<meta property="og:description" content="${escapeXml(description)}">`,
    `<meta property="og:url" content="${escapeXml(canonical)}">`,
    `<meta property="og:locale" content="${text.locale}">`,
    `<meta property="og:locale:alternate" content="${LIST_TEXT[language === 'es' ? 'en' : 'es'].locale}">`,
    ...extra,
    `<meta name="twitter:card" content="summary">`,
    `<meta name="twitter:title" content="${escapeXml(title)}">`,
    `<meta name="twitter:description" content="${escapeXml(description)}">`,
  ].join('\n    ');
  return { status: 200, language, title, description, tags };
}

/**
 * The app's index.html with the page's head put in: its language, title, description and tags.
 * Each replacement is a function's result, never a replacement string: in a string, `$&`, `` $` `` and
 * `$'` (which an alert's title may hold) would paste the matched tag or the page around it into the head.
 */
export function injectPageHead(indexHtml: string, head: PageHead): string {
  if (head.status !== 200) return indexHtml;
  return indexHtml
    .replace(/<html lang="[^"]*"/, () => `<html lang="${head.language}"`)
    .replace(/<title>[^<]*<\/title>/, () => `<title>${escapeXml(`${head.title} · Vigía`)}</title>`)
    .replace(/<meta\s+name="description"[^>]*>/, () => `<meta name="description" content="${escapeXml(head.description)}">`)
    .replace('</head>', () => `    ${head.tags}\n  </head>`);
}
