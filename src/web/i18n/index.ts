import i18next, { type BackendModule } from 'i18next';
import { initReactI18next } from 'react-i18next';
import es from './es.json';
import { DEFAULT_LANGUAGE, isLanguage, LANGUAGES, type Language } from './languages';
import { languageOfPath } from '../../domain/web-routes';
import type peopleEs from './people/es.json';
import type reportEs from './report/es.json';
import type incidentsEs from './incidents/es.json';
import type alertsEs from './alerts/es.json';
import type publicAlertsEs from './public-alerts/es.json';
import type statisticsEs from './statistics/es.json';

/**
 * The public pages' strings, those of the people-and-access pages (sign-in, account, …), those of
 * the public reporting pages and those of the incident record's pages.
 */
export type Catalogue = typeof es & typeof peopleEs & typeof reportEs & typeof incidentsEs & typeof alertsEs & typeof publicAlertsEs & typeof statisticsEs;

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
const catalogues: Record<Language, () => Promise<typeof es>> = {
  es: () => Promise.resolve(es),
  en: () => import('./en.json').then((module) => module.default),
};

/*
 * The people-and-access pages' strings are most of the catalogue, and the public, who never sign in,
 * would download them with every visit to the home page; the reporting pages' strings, likewise, are
 * for those who report. So each part comes with its pages (see `loadCatalogue`), and from then on
 * with every language loaded.
 */
export type CataloguePart = 'people' | 'report' | 'incidents' | 'alerts' | 'publicAlerts' | 'statistics';

const partCatalogues: Record<CataloguePart, Record<Language, () => Promise<Partial<Catalogue>>>> = {
  people: {
    es: () => import('./people/es.json').then((module) => module.default),
    en: () => import('./people/en.json').then((module) => module.default),
  },
  report: {
    es: () => import('./report/es.json').then((module) => module.default),
    en: () => import('./report/en.json').then((module) => module.default),
  },
  incidents: {
    es: () => import('./incidents/es.json').then((module) => module.default),
    en: () => import('./incidents/en.json').then((module) => module.default),
  },
  // The alert drafting pages' strings.
  alerts: {
    es: () => import('./alerts/es.json').then((module) => module.default),
    en: () => import('./alerts/en.json').then((module) => module.default),
  },
  // The public alert pages' strings.
  publicAlerts: {
    es: () => import('./public-alerts/es.json').then((module) => module.default),
    en: () => import('./public-alerts/en.json').then((module) => module.default),
  },
  // The public statistics and open-data pages' strings.
  statistics: {
    es: () => import('./statistics/es.json').then((module) => module.default),
    en: () => import('./statistics/en.json').then((module) => module.default),
  },
};

const wantedParts = new Set<CataloguePart>();

async function readCatalogue(language: Language): Promise<Partial<Catalogue>> {
  const parts = await Promise.all([catalogues[language](), ...[...wantedParts].map((part) => partCatalogues[part][language]())]);
  return Object.assign({}, ...parts) as Partial<Catalogue>;
}

/**
 * Adds a part's strings for every language already loaded (and, through the backend, for any loaded
 * later, so that switching language on those pages never shows a bare key).
 */
export async function loadCatalogue(part: CataloguePart): Promise<void> {
  if (wantedParts.has(part)) return;
  wantedParts.add(part);
  const loaded = LANGUAGES.filter((language) => i18next.hasResourceBundle(language, 'translation'));
  await Promise.all(
    loaded.map(async (language) => {
      i18next.addResourceBundle(language, 'translation', await partCatalogues[part][language](), true, true);
    }),
  );
}

const lazyCatalogues: BackendModule = {
  type: 'backend',
  init() {},
  read(language, _namespace, callback) {
    if (!isLanguage(language)) {
      callback(new Error(`No catalogue for language "${language}"`), false);
      return;
    }
    readCatalogue(language).then(
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

/**
 * Loads the page's language catalogue; the app renders only after this resolves. An English address
 * (/en/…) opens in English straight away, without loading Spanish first, and is remembered as the
 * reader's language, as the language switch would; any other address opens in the remembered language.
 */
export async function startI18n(): Promise<typeof i18next> {
  i18next.on('languageChanged', reflectLanguage);
  const addressed = languageOfPath(window.location.pathname);
  await i18next
    .use(lazyCatalogues)
    .use(initReactI18next)
    .init({
      lng: addressed ?? rememberedLanguage(),
      fallbackLng: DEFAULT_LANGUAGE,
      supportedLngs: LANGUAGES,
      load: 'currentOnly',
      interpolation: { escapeValue: false }, // React escapes what it renders.
    });
  if (addressed) remember(addressed);
  return i18next;
}

/** Switches the whole app to `language` and remembers the choice on this device. */
export async function chooseLanguage(language: Language): Promise<void> {
  await i18next.changeLanguage(language);
  remember(language);
}

function remember(language: Language): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Without storage the choice lasts until the page is reloaded, which is the best we can do.
  }
}
