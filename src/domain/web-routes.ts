/**
 * The pages the browser app answers, by name. The app maps each name to its page component (the
 * compiler insists every name has one), and the server uses the paths to send the app with status 200
 * for a known page and 404 for anything else (the app then shows its own "not found" page), so that a
 * mistyped link is a real 404 for browsers, crawlers and link checkers.
 * A pattern segment starting with ':' matches any one segment.
 */
export const WEB_PAGES = {
  home: '/',
  signIn: '/entrar',
  twoFactorChallenge: '/entrar/verificacion',
  twoFactorEnrol: '/entrar/activar-2fa',
  account: '/cuenta',
  invitation: '/invitacion/:token',
  passwordResetRequest: '/restablecer',
  passwordReset: '/restablecer/:token',
  organization: '/organizaciones/:id',
  organizationWebhooks: '/organizaciones/:id/webhooks',
  audit: '/auditoria',
  report: '/reportar',
  reportStatus: '/recibo',
  // A signed-in member's report into their organization (the public one, /reportar, sends no session).
  memberReport: '/reportes/nuevo',
  // Triage and the incident editor. `/incidentes/nuevo` must come before any `/incidentes/:id` page:
  // the app shows the first page whose pattern matches.
  triageInbox: '/bandeja',
  triageReport: '/bandeja/:id',
  incidentFromReport: '/bandeja/:id/incidente',
  incidentNew: '/incidentes/nuevo',
  incidentImportExport: '/incidentes/importar-exportar',
  incidentEdit: '/incidentes/:id/editar',
  // The incident record (src/web/features/incidents/, evidence/).
  incidentSearch: '/incidentes',
  incident: '/incidentes/:id',
  incidentHistory: '/incidentes/:id/historial',
  reviewQueue: '/revision',
  evidenceCustody: '/evidencias/:id',
  // Alert drafting (src/web/features/alerts/): `/redaccion/nueva` before `/redaccion/:id`.
  alertList: '/redaccion',
  alertNew: '/redaccion/nueva',
  // The follow-up of a published alert's requests to the authorities (FollowUpPage.tsx).
  alertFollowUp: '/redaccion/:id/seguimiento',
  alertEdit: '/redaccion/:id',
  alertHistory: '/redaccion/:id/historial',
  // Early warning (src/web/features/signals/): a network's signals, and the rules that raise them.
  signalInbox: '/senales',
  alertRules: '/reglas',
  // Public alerts (src/web/features/public-alerts/), in Spanish and, under /en, in English
  // (domain/public-alert-paths.ts maps each page to the other language's).
  alerts: '/alertas',
  alert: '/alertas/:slug',
  alertsEn: '/en/alerts',
  alertEn: '/en/alerts/:slug',
  // Public statistics and open data (src/web/features/statistics/; domain/statistics-paths.ts).
  statistics: '/estadisticas',
  statisticsState: '/estadisticas/estados/:code',
  openData: '/datos',
  statisticsEn: '/en/statistics',
  statisticsStateEn: '/en/statistics/states/:code',
  openDataEn: '/en/data',
  // E-mail subscriptions to public alerts; the e-mails link to these (domain/alert-reach.ts).
  subscribe: '/suscribirse',
  subscribeEn: '/en/subscribe',
  subscriptionConfirm: '/suscripcion/:token',
  subscriptionConfirmEn: '/en/subscription/:token',
  unsubscribe: '/baja',
  unsubscribeEn: '/en/unsubscribe',
} as const;

export type WebPage = keyof typeof WEB_PAGES;

export const WEB_ROUTES: readonly string[] = Object.values(WEB_PAGES);

export function isKnownWebPath(pathname: string): boolean {
  const parts = trimSlashes(pathname).split('/');
  return WEB_ROUTES.some((route) => {
    const pattern = trimSlashes(route).split('/');
    return pattern.length === parts.length && pattern.every((seg, i) => seg.startsWith(':') || seg === parts[i]);
  });
}

function trimSlashes(p: string): string {
  return p.replace(/^\/+|\/+$/g, '');
}

/**
 * The language a page's address names: the English pages live under /en, so their address says 'en'.
 * Undefined for every other page, whose language is the reader's last choice (Spanish by default).
 * The server writes it into the page's `<html lang>` and the app starts in it, so that an English page
 * is English before and after its scripts run.
 */
export function languageOfPath(pathname: string): 'en' | undefined {
  return pathname === '/en' || pathname.startsWith('/en/') ? 'en' : undefined;
}
