import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiRequest } from '../../api/client';
import { isLanguage, DEFAULT_LANGUAGE, type Language } from '../../i18n/languages';

/*
 * The reference lists the triage and editor screens label codes with: states, a state's
 * municipalities and the controlled vocabularies, in the language shown. They change only with a new
 * release, so each is fetched once per page load and shared by every screen.
 */

export interface State {
  code: string;
  name: string;
}

export interface Municipality {
  cvegeo: string;
  stateCode: string;
  name: string;
}

export interface Term {
  code: string;
  label: string;
  description: string | null;
}

export type VocabularyName =
  | 'act_types'
  | 'perpetrator_types'
  | 'involvement_degrees'
  | 'victim_characteristics'
  | 'place_types'
  | 'source_types'
  | 'source_connections'
  | 'source_reliability'
  | 'intervention_types'
  | 'intervention_statuses';

const cache = new Map<string, Promise<unknown>>();

function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
  let promise = cache.get(key) as Promise<T> | undefined;
  if (!promise) {
    promise = load();
    // A failed load is forgotten, so that the next screen asks again instead of failing forever.
    promise.catch(() => cache.delete(key));
    cache.set(key, promise);
  }
  return promise;
}

export const referenceApi = {
  states: () =>
    cached('states', () => apiRequest<{ data: State[] }>('/reference/states').then((r) => r.data.map(({ code, name }) => ({ code, name })))),
  municipalities: (state: string) =>
    cached(`municipalities:${state}`, () =>
      apiRequest<{ data: Municipality[] }>(`/reference/municipalities?state=${encodeURIComponent(state)}`).then((r) =>
        r.data.map(({ cvegeo, stateCode, name }) => ({ cvegeo, stateCode, name })),
      ),
    ),
  vocabulary: (name: VocabularyName, language: Language) =>
    cached(`vocabulary:${name}:${language}`, () =>
      apiRequest<{ data: { terms: Term[] } }>(`/reference/vocabularies/${name}?lang=${language}`).then((r) => r.data.terms),
    ),
};

function useLanguage(): Language {
  const { i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? i18n.language;
  return isLanguage(language) ? language : DEFAULT_LANGUAGE;
}

/** A reference list, or undefined while it loads (or when it could not be loaded: codes are then shown as they are). */
function useLoaded<T>(key: string | null, load: () => Promise<T>): T | undefined {
  const [value, setValue] = useState<{ key: string; data: T }>();
  useEffect(() => {
    if (key === null) return;
    let live = true;
    load().then(
      (data) => live && setValue({ key, data }),
      () => undefined,
    );
    return () => {
      live = false;
    };
    // `load` is derived from `key`, which names everything it depends on.
  }, [key]);
  return value && value.key === key ? value.data : undefined;
}

export function useStates(): State[] | undefined {
  return useLoaded('states', referenceApi.states);
}

export function useMunicipalities(state: string): Municipality[] | undefined {
  return useLoaded(/^\d{2}$/.test(state) ? state : null, () => referenceApi.municipalities(state));
}

/** Several states' municipalities at once (an inbox lists reports from anywhere). */
export function useMunicipalitiesOf(states: readonly string[]): Map<string, string> {
  const wanted = [...new Set(states.filter((s) => /^\d{2}$/.test(s)))].sort();
  const key = wanted.join(',');
  const loaded = useLoaded(key === '' ? null : key, () => Promise.all(wanted.map((s) => referenceApi.municipalities(s))));
  return new Map((loaded ?? []).flat().map((m) => [m.cvegeo, m.name]));
}

export type Vocabularies = Partial<Record<VocabularyName, Term[]>>;

/** The named vocabularies in the language shown; each appears once it has loaded. */
export function useVocabularies(names: readonly VocabularyName[]): Vocabularies {
  const language = useLanguage();
  const key = `${names.join(',')}:${language}`;
  const loaded = useLoaded(key, () =>
    Promise.all(names.map((name) => referenceApi.vocabulary(name, language).then((terms) => [name, terms] as const))),
  );
  return Object.fromEntries(loaded ?? []) as Vocabularies;
}

/** A code's label in a list, or the code itself when the list has not loaded or lacks it. */
export function labelOf(terms: ReadonlyArray<{ code: string; label: string }> | undefined, code: string | null | undefined): string {
  if (!code) return '';
  return terms?.find((t) => t.code === code)?.label ?? code;
}
