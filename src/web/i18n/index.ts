import i18next, { type BackendModule } from 'i18next';
import { initReactI18next } from 'react-i18next';
import es from './es.json';
import { DEFAULT_LANGUAGE, isLanguage, LANGUAGES, type Language } from './languages';
import type incidentsEs from './incidents/es.json';
import type peopleEs from './people/es.json';

/** The public pages' strings, those of the people-and-access pages (sign-in, account, …) and the record's pages. */
export type Catalogue = typeof es & typeof peopleEs & typeof incidentsEs;
export type PeopleCatalogue = typeof peopleEs;

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
 * would download them with every visit to the home page. So they come with those pages (see
 * `loadPeopleCatalogue`), and from then on with every language loaded.
 */
const peopleCatalogues: Record<Language, () => Promise<PeopleCatalogue>> = {
  es: () => import('./people/es.json').then((module) => module.default),
  en: () => import('./people/en.json').then((module) => module.default),
};

let peopleWanted = false;

async function readCatalogue(language: Language): Promise<Partial<Catalogue>> {
  const main = await catalogues[language]();
  const people = peopleWanted ? await peopleCatalogues[language]() : {};
  const incidents = incidentsWanted ? await incidentsCatalogues[language]() : {};
  return { ...main, ...people, ...incidents };
}

/**
 * Adds the people-and-access strings for every language already loaded (and, through the backend,
 * for any loaded later, so that switching language on those pages never shows a bare key).
 */
export async function loadPeopleCatalogue(): Promise<void> {
  if (peopleWanted) return;
  peopleWanted = true;
  const loaded = LANGUAGES.filter((language) => i18next.hasResourceBundle(language, 'translation'));
  await Promise.all(
    loaded.map(async (language) => {
      i18next.addResourceBundle(language, 'translation', await peopleCatalogues[language](), true, true);
    }),
  );
}

/*
 * The incident record's pages (search, incident, history, review, evidence) bring their own strings in
 * the same way: only the people who document and review download them.
 */
const incidentsCatalogues: Record<Language, () => Promise<typeof incidentsEs>> = {
  es: () => import('./incidents/es.json').then((module) => module.default),
  en: () => import('./incidents/en.json').then((module) => module.default),
};

let incidentsWanted = false;

/** Adds the incident pages' strings for every language loaded now and later (see `loadPeopleCatalogue`). */
export async function loadIncidentsCatalogue(): Promise<void> {
  if (incidentsWanted) return;
  incidentsWanted = true;
  const loaded = LANGUAGES.filter((language) => i18next.hasResourceBundle(language, 'translation'));
  await Promise.all(
    loaded.map(async (language) => {
      i18next.addResourceBundle(language, 'translation', await incidentsCatalogues[language](), true, true);
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
