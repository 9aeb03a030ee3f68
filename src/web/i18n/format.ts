import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { DEFAULT_LANGUAGE, isLanguage, type Language } from './languages';

/**
 * Dates and numbers are written only through `Intl`, so that "1,234" and "1 234", "14:05" and
 * "2:05 PM" follow the reader's language instead of the developer's machine.
 */
const LOCALES: Record<Language, string> = { es: 'es-MX', en: 'en' };

export function localeOf(language: string): string {
  return LOCALES[isLanguage(language) ? language : DEFAULT_LANGUAGE];
}

export function formatNumber(value: number, language: string, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(localeOf(language), options).format(value);
}

export function formatDateTime(value: Date, language: string, options?: Intl.DateTimeFormatOptions): string {
  return new Intl.DateTimeFormat(localeOf(language), options ?? { dateStyle: 'long', timeStyle: 'short' }).format(
    value,
  );
}

/** The formatters bound to the language currently shown; components re-render when it changes. */
export function useFormat(): {
  number: (value: number, options?: Intl.NumberFormatOptions) => string;
  dateTime: (value: Date, options?: Intl.DateTimeFormatOptions) => string;
} {
  const { i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? i18n.language;
  // The same object until the language changes, so that effects depending on it do not rerun.
  return useMemo(
    () => ({
      number: (value, options) => formatNumber(value, language, options),
      dateTime: (value, options) => formatDateTime(value, language, options),
    }),
    [language],
  );
}
