import i18next, { type BackendModule } from 'i18next';
import { initReactI18next } from 'react-i18next';
import es from './es.json';
import { DEFAULT_LANGUAGE, isLanguage, LANGUAGES, type Language } from './languages';

export type Catalogue = typeof es;

declare module 'i18next' {
  interface CustomTypeOptions {
    // Makes `t('some.key')` a compile error when the Spanish catalogue has no such key.
    resources: { translation: Catalogue };
  }
}

/**
 * Spanish is bundled because almost every visit needs it; other languages are fetched only when
 * chosen. The `Catalogue` type makes a key missing from a translation a compile error.
 */
const catalogues: Record<Language, () => Promise<Catalogue>> = {
  es: () => Promise.resolve(es),
  en: () => import('./en.json').then((module) => module.default),
};

const lazyCatalogues: BackendModule = {
  type: 'backend',
  init() {},
  read(language, _namespace, callback) {
    if (!isLanguage(language)) {
      callback(new Error(`No catalogue for language "${language}"`), false);
      return;
    }
    catalogues[language]().then(
      (catalogue) => callback(null, catalogue),
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), false),
    );
  },
};

const STORAGE_KEY = 'vigia.language';

/** The language chosen earlier on this device; Spanish otherwise, whatever the browser prefers. */
function rememberedLanguage(): Language {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    return isLanguage(stored) ? stored : DEFAULT_LANGUAGE;
  } catch {
    // Storage can be switched off (private modes, strict settings); the default language still works.
    return DEFAULT_LANGUAGE;
  }
}

function reflectLanguage(language: string): void {
  document.documentElement.lang = language;
  document.querySelector('meta[name="description"]')?.setAttribute('content', i18next.t('app.description'));
}

/** Loads the remembered language's catalogue; the app renders only after this resolves. */
export async function startI18n(): Promise<typeof i18next> {
  i18next.on('languageChanged', reflectLanguage);
  await i18next
    .use(lazyCatalogues)
    .use(initReactI18next)
    .init({
      lng: rememberedLanguage(),
      fallbackLng: DEFAULT_LANGUAGE,
      supportedLngs: LANGUAGES,
      load: 'currentOnly',
      interpolation: { escapeValue: false }, // React escapes what it renders.
    });
  return i18next;
}

/** Switches the whole app to `language` and remembers the choice on this device. */
export async function chooseLanguage(language: Language): Promise<void> {
  await i18next.changeLanguage(language);
  try {
    window.localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Without storage the choice lasts until the page is reloaded, which is the best we can do.
  }
}
