import { z } from 'zod';
import type { OpenDataRow } from '../commands/read-open-data.js';
import { csvLine } from '../domain/csv.js';

/**
 * The open data files: one column list, described once in the data dictionary, written as CSV, as
 * HXL-tagged CSV (a second row of hashtags, for humanitarian data exchange), as JSON and as GeoJSON
 * points at municipal seats. Every CSV cell goes through `csvLine`, which neutralises formulas.
 */

export const OPEN_DATA_LICENCE = {
  name: 'CC BY 4.0',
  url: 'https://creativecommons.org/licenses/by/4.0/',
  attribution: 'Vigía',
  geography:
    'Fuente: INEGI, Marco Geoestadístico / Catálogo Único de Claves de Áreas Geoestadísticas Estatales, Municipales y Localidades (AGEEML).',
} as const;

interface Column {
  name: string;
  hxl: string;
  es: string;
  en: string;
  value: (row: OpenDataRow) => string;
}

export const OPEN_DATA_COLUMNS: readonly Column[] = [
  { name: 'reference', hxl: '#event+id', es: 'Referencia del incidente en Vigía', en: "The incident's Vigía reference", value: (r) => r.reference },
  { name: 'month', hxl: '#date+month', es: 'Mes en que empezó (AAAA-MM); nunca el día', en: 'Month it started (YYYY-MM); never the day', value: (r) => r.month },
  { name: 'state_code', hxl: '#adm1+code', es: 'Clave INEGI del estado', en: 'INEGI state code', value: (r) => r.stateCode },
  { name: 'state_name', hxl: '#adm1+name', es: 'Estado', en: 'State', value: (r) => r.stateName },
  {
    name: 'municipality_code',
    hxl: '#adm2+code',
    es: 'Clave INEGI (CVEGEO) del municipio; vacía cuando menos de 3 incidentes publicados comparten el municipio',
    en: 'INEGI municipality code (CVEGEO); empty when fewer than 3 published incidents share the municipality',
    value: (r) => r.municipalityCode ?? '',
  },
  { name: 'municipality_name', hxl: '#adm2+name', es: 'Municipio (mismas reglas)', en: 'Municipality (same rules)', value: (r) => r.municipalityName ?? '' },
  { name: 'place_type', hxl: '#loc+type', es: 'Tipo de lugar (vocabulario place_types)', en: 'Place type (place_types vocabulary)', value: (r) => r.placeType ?? '' },
  { name: 'act_types', hxl: '#event+type+list', es: 'Tipos de acto, separados por ";" (vocabulario act_types)', en: 'Act types, separated by ";" (act_types vocabulary)', value: (r) => r.actTypes.join(';') },
  {
    name: 'perpetrator_types',
    hxl: '#org+perpetrator+type+list',
    es: 'Tipos de perpetrador, separados por ";" (vocabulario perpetrator_types)',
    en: 'Perpetrator types, separated by ";" (perpetrator_types vocabulary)',
    value: (r) => r.perpetratorTypes.join(';'),
  },
  { name: 'title', hxl: '#description+title', es: 'Título', en: 'Title', value: (r) => r.title },
  {
    name: 'narrative',
    hxl: '#description+narrative',
    es: 'Relato anonimizado, publicado con el consentimiento de quien reportó',
    en: 'Anonymized account, published with the reporter’s consent',
    value: (r) => r.narrative,
  },
];

export function openDataCsv(rows: readonly OpenDataRow[], options: { hxl: boolean }): string {
  const lines = [csvLine(OPEN_DATA_COLUMNS.map((c) => c.name))];
  if (options.hxl) lines.push(csvLine(OPEN_DATA_COLUMNS.map((c) => c.hxl)));
  for (const row of rows) lines.push(csvLine(OPEN_DATA_COLUMNS.map((c) => c.value(row))));
  return lines.join('');
}

const openDataRecordSchema = z.object(Object.fromEntries(OPEN_DATA_COLUMNS.map((c) => [c.name, z.string()])) as Record<string, z.ZodString>);

export const openDataJsonSchema = z.object({
  licence: z.object({ name: z.string(), url: z.string(), attribution: z.string(), geography: z.string() }),
  data: z.array(openDataRecordSchema),
});

export function openDataJson(rows: readonly OpenDataRow[]): z.infer<typeof openDataJsonSchema> {
  return { licence: { ...OPEN_DATA_LICENCE }, data: rows.map((r) => Object.fromEntries(OPEN_DATA_COLUMNS.map((c) => [c.name, c.value(r)]))) };
}

/** Points at municipal seats; a row whose municipality is withheld has no geometry (RFC 7946 allows null). */
export function openDataGeoJson(rows: readonly OpenDataRow[]): object {
  return {
    type: 'FeatureCollection',
    licence: OPEN_DATA_LICENCE,
    features: rows.map((r) => ({
      type: 'Feature',
      geometry: r.seat ? { type: 'Point', coordinates: [r.seat.lon, r.seat.lat] } : null,
      properties: Object.fromEntries(OPEN_DATA_COLUMNS.map((c) => [c.name, c.value(r)])),
    })),
  };
}

export const dictionarySchema = z.object({
  licence: openDataJsonSchema.shape.licence,
  threshold: z.number().int(),
  rules: z.object({ es: z.string(), en: z.string() }),
  columns: z.array(z.object({ name: z.string(), hxl: z.string(), es: z.string(), en: z.string() })),
  files: z.array(z.object({ path: z.string(), format: z.string() })),
});

export function openDataDictionary(threshold: number): z.infer<typeof dictionarySchema> {
  return {
    licence: { ...OPEN_DATA_LICENCE },
    threshold,
    rules: {
      es: `Incidentes verificados, compartidos por su organización y cuyo relato quien reportó permitió publicar. Sin nombres ni lugares exactos: el mes en vez del día, el municipio sólo si al menos ${threshold} incidentes publicados lo comparten, y ningún estado con menos de ${threshold}.`,
      en: `Verified incidents that their organization shared and whose reporter allowed the account to be published. No names or exact places: the month instead of the day, the municipality only where at least ${threshold} published incidents share it, and no state with fewer than ${threshold}.`,
    },
    columns: OPEN_DATA_COLUMNS.map(({ name, hxl, es, en }) => ({ name, hxl, es, en })),
    files: [
      { path: '/api/v1/open-data/incidents.csv', format: 'CSV (RFC 4180, UTF-8)' },
      { path: '/api/v1/open-data/incidents.hxl.csv', format: 'HXL-tagged CSV' },
      { path: '/api/v1/open-data/incidents.json', format: 'JSON' },
      { path: '/api/v1/open-data/incidents.geojson', format: 'GeoJSON (points at municipal seats)' },
    ],
  };
}
