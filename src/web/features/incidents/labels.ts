import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { referenceApi, type FuzzyDate } from '../../api/incidents';
import { useFormat } from '../../i18n/format';

/*
 * Codes turned into words for the incident pages: vocabulary terms, states and municipalities in the
 * reader's language (from the reference API, fetched once per language and list), dates as precise as
 * the record knows them, and sizes in bytes.
 */

/** The vocabularies the record's codes come from (data/reference/vocabularies). */
export type VocabularyName =
  | 'act_types'
  | 'perpetrator_types'
  | 'involvement_degrees'
  | 'victim_characteristics'
  | 'source_types'
  | 'source_connections'
  | 'source_reliability'
  | 'intervention_types'
  | 'intervention_statuses'
  | 'place_types'
  | 'addressees';

export type Labels = Partial<Record<VocabularyName, Map<string, string>>>;

const cache = new Map<string, Promise<Map<string, string>>>();

function cached(key: string, load: () => Promise<Map<string, string>>): Promise<Map<string, string>> {
  let entry = cache.get(key);
  if (!entry) {
    entry = load();
    // A failed list is asked again next time rather than remembered as empty.
    entry.catch(() => cache.delete(key));
    cache.set(key, entry);
  }
  return entry;
}

function vocabulary(name: VocabularyName, lang: string): Promise<Map<string, string>> {
  return cached(`${lang}:v:${name}`, () =>
    referenceApi.vocabulary(name, lang).then(({ data }) => new Map(data.terms.map((term) => [term.code, term.label]))),
  );
}

/** The language the reference API is asked in. */
export function useReferenceLanguage(): 'es' | 'en' {
  const { i18n } = useTranslation();
  return (i18n.resolvedLanguage ?? i18n.language) === 'en' ? 'en' : 'es';
}

/**
 * The labels of the named vocabularies, filled in as they arrive; until then (or if a list cannot be
 * had) `label` shows the code itself, which is still exact.
 */
export function useVocabularies(names: readonly VocabularyName[]): {
  labels: Labels;
  label: (name: VocabularyName, code: string) => string;
} {
  const lang = useReferenceLanguage();
  const key = names.join(',');
  const [labels, setLabels] = useState<Labels>({});
  useEffect(() => {
    let live = true;
    const wanted = key.split(',').filter(Boolean) as VocabularyName[];
    for (const name of wanted) {
      vocabulary(name, lang).then(
        (map) => live && setLabels((previous) => ({ ...previous, [name]: map })),
        () => undefined, // The code stays shown; a missing label is not worth an error on the page.
      );
    }
    return () => {
      live = false;
    };
  }, [key, lang]);
  return useMemo(() => ({ labels, label: (name, code) => labels[name]?.get(code) ?? code }), [labels]);
}

/** State names by code, and the municipalities of the states asked for, by CVEGEO. */
export function usePlaces(stateCodes: readonly string[]): {
  stateName: (code: string) => string;
  municipalityName: (cvegeo: string) => string;
} {
  const lang = useReferenceLanguage();
  const key = [...new Set(stateCodes)].sort().join(',');
  const [names, setNames] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    let live = true;
    const lists = [
      cached(`${lang}:states`, () => referenceApi.states(lang).then(({ data }) => new Map(data.map((s) => [s.code, s.name])))),
      ...key
        .split(',')
        .filter(Boolean)
        .map((state) =>
          cached(`${lang}:m:${state}`, () =>
            referenceApi.municipalities(state, lang).then(({ data }) => new Map(data.map((m) => [m.cvegeo, m.name]))),
          ),
        ),
    ];
    void Promise.allSettled(lists).then((results) => {
      if (!live) return;
      const merged = new Map<string, string>();
      for (const result of results) if (result.status === 'fulfilled') for (const [code, name] of result.value) merged.set(code, name);
      setNames(merged);
    });
    return () => {
      live = false;
    };
  }, [key, lang]);
  return useMemo(
    () => ({ stateName: (code) => names.get(code) ?? code, municipalityName: (cvegeo) => names.get(cvegeo) ?? cvegeo }),
    [names],
  );
}

/** Every state, for a filter's choices. */
export function useStates(): Array<{ code: string; name: string }> {
  const lang = useReferenceLanguage();
  const [states, setStates] = useState<Array<{ code: string; name: string }>>([]);
  useEffect(() => {
    let live = true;
    cached(`${lang}:states`, () => referenceApi.states(lang).then(({ data }) => new Map(data.map((s) => [s.code, s.name])))).then(
      (map) => live && setStates([...map].map(([code, name]) => ({ code, name }))),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [lang]);
  return states;
}

/** A state's municipalities, for a filter's choices (none without a state). */
export function useMunicipalities(state: string): Array<{ code: string; name: string }> {
  const lang = useReferenceLanguage();
  const [list, setList] = useState<Array<{ code: string; name: string }>>([]);
  useEffect(() => {
    let live = true;
    if (!state) {
      setList([]);
      return;
    }
    cached(`${lang}:m:${state}`, () =>
      referenceApi.municipalities(state, lang).then(({ data }) => new Map(data.map((m) => [m.cvegeo, m.name]))),
    ).then(
      (map) => live && setList([...map].map(([code, name]) => ({ code, name }))),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [state, lang]);
  return list;
}

/** A record's date in words, as precise as it is known: a day, a month, or "around" a day. */
export function useFuzzyDate(): (date: FuzzyDate | null | undefined) => string {
  const { t } = useTranslation();
  const format = useFormat();
  return (value) => {
    if (!value) return '';
    const [year, month, day] = value.date.split('-').map(Number) as [number, number, number];
    // Noon UTC, written in UTC, so the day never shifts with the reader's time zone.
    const instant = new Date(Date.UTC(year, month - 1, day, 12));
    const written =
      value.precision === 'month'
        ? format.dateTime(instant, { year: 'numeric', month: 'long', timeZone: 'UTC' })
        : format.dateTime(instant, { dateStyle: 'long', timeZone: 'UTC' });
    return t(`incidents.record.dates.${value.precision}`, { date: written });
  };
}

/** A size in bytes in the largest unit that keeps it above one (1,5 MB), in the reader's language. */
export function useBytes(): (bytes: number) => string {
  const format = useFormat();
  return (bytes) => {
    const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
    let value = bytes;
    let unit = 0;
    while (value >= 1000 && unit < units.length - 1) {
      value /= 1000;
      unit += 1;
    }
    return format.number(value, { style: 'unit', unit: units[unit], unitDisplay: 'short', maximumFractionDigits: unit === 0 ? 0 : 1 });
  };
}
