import type { Role } from '../db/schema.js';

/**
 * The e-mails Vigía sends, as pure functions of what they say. Each message is bilingual in one body,
 * Spanish first and English below: the recipient may not have an account (or a language setting) yet,
 * and a link that reaches the wrong inbox should still be understood by whoever reads it.
 */

/** What the e-mail job needs of a message besides its recipient. */
export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

const ROLE_LABELS: Record<Role, { es: string; en: string }> = {
  reporter: { es: 'reportante', en: 'reporter' },
  documenter: { es: 'documentador(a)', en: 'documenter' },
  reviewer: { es: 'revisor(a)', en: 'reviewer' },
  administrator: { es: 'administrador(a)', en: 'administrator' },
};

// The people invited work in Mexico; one named zone keeps the expiry the same whatever the server's zone.
const TIME_ZONE = 'America/Mexico_City';

function formatExpiry(date: Date, locale: 'es-MX' | 'en'): string {
  const when = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone: TIME_ZONE }).format(date);
  return locale === 'es-MX' ? `${when} (hora de la Ciudad de México)` : `${when} (Mexico City time)`;
}

/** Where the browser app is reached from outside: the public URL, or the address the server listens on. */
export function webBaseUrl(config: { publicUrl: string | undefined; host: string; port: number }): string {
  return (config.publicUrl ?? `http://${config.host}:${config.port}`).replace(/\/+$/, '');
}

/** The page where an invitation is accepted. */
export function invitationLink(baseUrl: string, token: string): string {
  return `${baseUrl}/invitacion/${encodeURIComponent(token)}`;
}

/** The page where a new password is chosen. */
export function passwordResetLink(baseUrl: string, token: string): string {
  return `${baseUrl}/restablecer/${encodeURIComponent(token)}`;
}

/** The invitation to join an organization in a given role. */
export function invitationEmail(input: {
  organizationName: string;
  role: Role;
  link: string;
  expiresAt: Date;
}): EmailContent {
  const organization = oneLine(input.organizationName);
  const role = ROLE_LABELS[input.role];
  const es = [
    'Hola:',
    `${organization} te invita a colaborar en Vigía con el rol de ${role.es}.`,
    'Para aceptar la invitación, abre este enlace:',
    input.link,
    `El enlace es personal, sirve una sola vez y vence el ${formatExpiry(input.expiresAt, 'es-MX')}. ` +
      'Si no esperabas esta invitación, ignora este mensaje.',
  ];
  const en = [
    'Hello,',
    `${organization} invites you to work with them in Vigía as ${role.en}.`,
    'To accept the invitation, open this link:',
    input.link,
    `The link is personal, works once and expires on ${formatExpiry(input.expiresAt, 'en')}. ` +
      'If you were not expecting this invitation, ignore this message.',
  ];
  return bilingual(`${organization}: invitación a Vigía / invitation to Vigía`, es, en, input.link);
}

/** The link to choose a new password, after someone asked for it with the recipient's address. */
export function passwordResetEmail(input: { link: string; expiresAt: Date }): EmailContent {
  const es = [
    'Hola:',
    'Recibimos una solicitud para restablecer la contraseña de tu cuenta de Vigía.',
    'Para elegir una contraseña nueva, abre este enlace:',
    input.link,
    `El enlace sirve una sola vez y vence el ${formatExpiry(input.expiresAt, 'es-MX')}. ` +
      'Al cambiar la contraseña se cerrarán todas tus sesiones abiertas.',
    'Si no lo pediste, ignora este mensaje: tu contraseña no cambiará.',
  ];
  const en = [
    'Hello,',
    'We received a request to reset the password of your Vigía account.',
    'To choose a new password, open this link:',
    input.link,
    `The link works once and expires on ${formatExpiry(input.expiresAt, 'en')}. ` +
      'Changing the password signs you out everywhere.',
    'If you did not ask for this, ignore this message: your password will not change.',
  ];
  return bilingual('Restablecer tu contraseña de Vigía / Reset your Vigía password', es, en, input.link);
}

const SEPARATOR = '— English below —';

function bilingual(subject: string, es: string[], en: string[], link: string): EmailContent {
  const text = [...es, SEPARATOR, ...en].join('\n\n') + '\n';
  const paragraph = (line: string) =>
    line === link
      ? `<p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>`
      : `<p>${escapeHtml(line)}</p>`;
  const html =
    '<!doctype html><html><body>' +
    `<div lang="es">${es.map(paragraph).join('')}</div>` +
    `<hr><p>${escapeHtml(SEPARATOR)}</p>` +
    `<div lang="en">${en.map(paragraph).join('')}</div>` +
    '</body></html>';
  return { subject, text, html };
}

// An organization's name comes from a person; in a subject line a line break would start a new header.
function oneLine(value: string): string {
  return value.replace(/[\r\n]+/g, ' ').trim();
}

function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}
