import { createHmac } from 'node:crypto';
import type { AlertContent, AlertLanguage } from './alert.js';
import type { EmailContent } from './email-templates.js';

/*
 * What a published alert sends out, as pure functions: the public links, the e-mails to subscribers
 * (one language each, as the subscriber chose), the webhook body and its signature, and whether a
 * subscriber's filters match an alert.
 */

/** The alert's public page in a language. */
export function publicAlertLink(baseUrl: string, slug: string, language: AlertLanguage): string {
  return language === 'es' ? `${baseUrl}/alertas/${encodeURIComponent(slug)}` : `${baseUrl}/en/alerts/${encodeURIComponent(slug)}`;
}

/** The page that confirms a subscription. */
export function subscriptionConfirmLink(baseUrl: string, token: string, language: AlertLanguage): string {
  return `${baseUrl}${language === 'es' ? '/suscripcion/' : '/en/subscription/'}${encodeURIComponent(token)}`;
}

/** The page that ends a subscription (one click from the e-mail, or a form). */
export function unsubscribePageLink(baseUrl: string, token: string, language: AlertLanguage): string {
  return `${baseUrl}${language === 'es' ? '/baja' : '/en/unsubscribe'}?token=${encodeURIComponent(token)}`;
}

/** The RFC 8058 one-click address: a POST here (no body needed) ends the subscription. */
export function oneClickUnsubscribeUrl(baseUrl: string, token: string): string {
  return `${baseUrl}/api/v1/public/subscriptions/unsubscribe?token=${encodeURIComponent(token)}`;
}

/** An empty filter list means "all"; otherwise the alert must cover at least one listed value. */
export function subscriptionMatches(filters: { stateCodes: readonly string[]; actTypes: readonly string[] }, content: Pick<AlertContent, 'stateCodes' | 'actTypes'>): boolean {
  const overlaps = (wanted: readonly string[], covered: readonly string[]) => wanted.length === 0 || wanted.some((v) => covered.includes(v));
  return overlaps(filters.stateCodes, content.stateCodes) && overlaps(filters.actTypes, content.actTypes);
}

const escapeHtml = (value: string) =>
  value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');

const COPY = {
  es: {
    confirmSubject: 'Confirme su suscripción a las alertas de Vigía',
    confirmBody: 'Alguien (seguramente usted) pidió recibir por correo las alertas públicas de Vigía. Para confirmarlo, abra este enlace:',
    confirmIgnore: 'Si no lo pidió, ignore este mensaje: no recibirá nada más.',
    correction: 'Corrección',
    read: 'Lea la alerta completa:',
    leave: 'Para dejar de recibir estas alertas:',
  },
  en: {
    confirmSubject: 'Confirm your subscription to Vigía alerts',
    confirmBody: "Someone (probably you) asked to receive Vigía's public alerts by e-mail. To confirm, open this link:",
    confirmIgnore: 'If you did not ask for this, ignore this message: nothing more will be sent.',
    correction: 'Correction',
    read: 'Read the full alert:',
    leave: 'To stop receiving these alerts:',
  },
} as const;

/** The double opt-in message. */
export function subscriptionConfirmationEmail(input: { link: string; language: AlertLanguage }): EmailContent {
  const c = COPY[input.language];
  return {
    subject: c.confirmSubject,
    text: `${c.confirmBody}\n\n${input.link}\n\n${c.confirmIgnore}\n`,
    html: `<p>${escapeHtml(c.confirmBody)}</p><p><a href="${escapeHtml(input.link)}">${escapeHtml(input.link)}</a></p><p>${escapeHtml(c.confirmIgnore)}</p>`,
  };
}

/** A published (or corrected) alert as one subscriber receives it. */
export function alertEmail(input: {
  content: AlertContent;
  language: AlertLanguage;
  link: string;
  unsubscribeLink: string;
  correction: boolean;
}): EmailContent {
  const c = COPY[input.language];
  const text = input.content[input.language];
  const title = input.correction ? `${c.correction}: ${text.title}` : text.title;
  return {
    subject: `Vigía — ${title}`.replace(/[\r\n]+/g, ' ').slice(0, 998),
    text: `${title}\n\n${text.summary}\n\n${c.read}\n${input.link}\n\n--\n${c.leave}\n${input.unsubscribeLink}\n`,
    html:
      `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(text.summary)}</p>` +
      `<p>${escapeHtml(c.read)} <a href="${escapeHtml(input.link)}">${escapeHtml(input.link)}</a></p>` +
      `<hr><p><small>${escapeHtml(c.leave)} <a href="${escapeHtml(input.unsubscribeLink)}">${escapeHtml(input.unsubscribeLink)}</a></small></p>`,
  };
}

/** The JSON a webhook endpoint receives for a published or corrected alert: public facts only. */
export interface AlertWebhookBody {
  event: 'alert.published' | 'alert.corrected';
  alert: {
    id: string;
    slug: string;
    version: number;
    urgent: boolean;
    title: { es: string; en: string };
    summary: { es: string; en: string };
    stateCodes: string[];
    actTypes: string[];
    url: { es: string; en: string };
  };
}

/** `Vigia-Signature`: `sha256=` and the hex HMAC-SHA256 of `timestamp + "." + body` under the endpoint's secret. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}
