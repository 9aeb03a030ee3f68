import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { chooseLanguage } from '../../i18n';
import type { Language } from '../../i18n/languages';
import './public-alerts.css';

/**
 * The alert pages are addressed per language (/alertas, /en/alerts): the address, not the last choice
 * on this browser, says which language the page is in.
 */
export function usePathLanguage(language: Language, enabled = true): boolean {
  const { i18n } = useTranslation();
  const ready = i18n.resolvedLanguage === language;
  useEffect(() => {
    if (enabled && !ready) void chooseLanguage(language);
  }, [enabled, ready, language]);
  return ready;
}

/** Loads what a page shows, never keeping an answer that arrives after a newer request or after leaving. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): { data?: T; error?: unknown; loading: boolean } {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  useEffect(() => {
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => current && setState({ data, loading: false }),
      (error: unknown) => current && setState({ error, loading: false }),
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return state;
}


export function formatDay(iso: string, language: Language): string {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? new Date(`${iso}T12:00:00Z`) : new Date(iso);
  return new Intl.DateTimeFormat(language === 'es' ? 'es-MX' : 'en-GB', { dateStyle: 'long', timeZone: 'America/Mexico_City' }).format(date);
}
