import { alertBlocks, type AlertLanguage } from '../domain/alert.js';
import { PUBLIC_ALERT_PATHS, publicAlertPath } from '../domain/public-alert-paths.js';
import type { PublicAlertSummary } from './public-alert.presenter.js';

/** Escapes text for XML content and attribute values; characters XML 1.0 forbids are dropped. */
export function escapeXml(value: string): string {
  return value
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const FEED_TEXT = {
  es: { title: 'Alertas de Vigía', subtitle: 'Alertas públicas sobre agresiones a albergues y personas defensoras de migrantes en México', urgent: 'Urgente', withdrawn: 'Alerta retirada', reason: 'Motivo' },
  en: { title: 'Vigía alerts', subtitle: 'Public alerts on attacks against migrant shelters and defenders in Mexico', urgent: 'Urgent', withdrawn: 'Alert withdrawn', reason: 'Reason' },
} as const;

/** The summary as plain paragraphs for the feed's `<summary type="text">`. */
function summaryText(alert: PublicAlertSummary, language: AlertLanguage): string {
  const t = FEED_TEXT[language];
  if (alert.withdrawal) return [t.withdrawn, alert.withdrawal.reason ? `${t.reason}: ${alert.withdrawal.reason}` : ''].filter(Boolean).join('. ');
  return alertBlocks(alert.summary?.[language] ?? '')
    .map((b) => (b.kind === 'paragraph' ? b.text : b.items.map((i) => `• ${i}`).join('\n')))
    .join('\n\n');
}

/**
 * An Atom 1.0 feed (RFC 4287) of the latest public alerts in one language, with absolute addresses
 * under `baseUrl`. Everything is text content, escaped: nothing in an alert becomes markup.
 */
export function renderAlertFeed(alerts: readonly PublicAlertSummary[], language: AlertLanguage, baseUrl: string): string {
  const t = FEED_TEXT[language];
  const base = baseUrl.replace(/\/+$/, '');
  const feedUrl = `${base}${PUBLIC_ALERT_PATHS[language].feed}`;
  const listUrl = `${base}${PUBLIC_ALERT_PATHS[language].list}`;
  const updated = alerts.reduce((latest, a) => (a.updatedAt > latest ? a.updatedAt : latest), '1970-01-01T00:00:00.000Z');
  const entries = alerts.map((alert) => {
    const url = `${base}${publicAlertPath(language, alert.slug)}`;
    const title = `${alert.withdrawal ? `[${t.withdrawn}] ` : alert.urgent ? `[${t.urgent}] ` : ''}${alert.title[language]}`;
    return [
      '  <entry>',
      `    <id>${escapeXml(url)}</id>`,
      `    <title type="text">${escapeXml(title)}</title>`,
      `    <link rel="alternate" type="text/html" hreflang="${language}" href="${escapeXml(url)}"/>`,
      `    <published>${alert.publishedAt}</published>`,
      `    <updated>${alert.updatedAt}</updated>`,
      `    <summary type="text">${escapeXml(summaryText(alert, language))}</summary>`,
      ...(alert.urgent && !alert.withdrawal ? [`    <category term="urgent" label="${escapeXml(t.urgent)}"/>`] : []),
      '  </entry>',
    ].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${language}">`,
    `  <id>${escapeXml(feedUrl)}</id>`,
    `  <title type="text">${escapeXml(t.title)}</title>`,
    `  <subtitle type="text">${escapeXml(t.subtitle)}</subtitle>`,
    `  <link rel="self" type="application/atom+xml" href="${escapeXml(feedUrl)}"/>`,
    `  <link rel="alternate" type="text/html" hreflang="${language}" href="${escapeXml(listUrl)}"/>`,
    `  <updated>${updated}</updated>`,
    '  <author><name>Vigía</name></author>',
    ...entries,
    '</feed>',
    '',
  ].join('\n');
}
