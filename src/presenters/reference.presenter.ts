import { z } from 'zod';
import type {
  MunicipalityRow,
  StateGeometryRow,
  StateRow,
  VocabularyRow,
  VocabularyTermRow,
} from '../db/repositories/reference.repository.js';
import { stateGeometrySchema, type StateGeometry } from '../domain/geojson.js';
import type { LegalRule } from '../domain/legal/rules.js';
import type { Lang } from '../server/routes/schemas.js';

/** A state as the API shows it; the route declares it as its response so nothing else can leak. */
export const stateSchema = z
  .object({
    code: z.string().describe('INEGI code, "01".."32"'),
    name: z.string().describe('Common name, e.g. "Coahuila"'),
    officialName: z.string().describe('Official INEGI name, e.g. "Coahuila de Zaragoza"'),
    abbreviation: z.string().describe('INEGI abbreviation, e.g. "Coah."'),
    iso3166_2: z.string().describe('ISO 3166-2 code, e.g. "MX-COA"'),
  })
  .meta({ id: 'State' });

/** State outlines as a GeoJSON FeatureCollection, for maps. */
export const stateFeatureCollectionSchema = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z.array(
      z.object({
        type: z.literal('Feature'),
        properties: z.object({ code: z.string(), name: z.string() }),
        geometry: stateGeometrySchema,
      }),
    ),
  })
  .meta({ id: 'StateFeatureCollection' });

/** A municipality (or CDMX alcaldía) as the API shows it. */
export const municipalitySchema = z
  .object({
    cvegeo: z.string().describe('INEGI CVEGEO: state code + municipality code, e.g. "07089"'),
    stateCode: z.string(),
    code: z.string().describe('INEGI CVE_MUN, 3 digits, unique within the state'),
    name: z.string(),
    seatName: z.string().nullable().describe('Municipal seat; null for CDMX alcaldías'),
    lat: z.number().nullable().describe("WGS84 latitude of the municipal seat (not the polygon's centroid)"),
    lon: z.number().nullable(),
    retiredIn: z.string().nullable().describe('First catalogue version without this municipality; null while current'),
  })
  .meta({ id: 'Municipality' });

/** A vocabulary's name and labels in the requested language. */
export const vocabularySummarySchema = z
  .object({ name: z.string(), label: z.string(), description: z.string().nullable() })
  .meta({ id: 'VocabularySummary' });

/** One term of a vocabulary, labelled in the requested language. */
export const vocabularyTermSchema = z
  .object({
    code: z.string().describe('Stable UPPER_SNAKE_CASE code'),
    label: z.string(),
    description: z.string().nullable(),
    huridocsCode: z
      .string()
      .nullable()
      .describe('HURIDOCS ESF micro-thesaurus code (e.g. "020103") in the list the vocabulary names; null when none fits'),
    parentCode: z.string().nullable(),
  })
  .meta({ id: 'VocabularyTerm' });

/** A vocabulary with its active terms. */
export const vocabularySchema = vocabularySummarySchema
  .extend({ terms: z.array(vocabularyTermSchema) })
  .meta({ id: 'Vocabulary' });

/** A legal rule named for choosing it (the early-warning rules' editor): its id, title and citation in one language. */
export const legalRuleSummarySchema = z
  .object({
    id: z.string().describe('"R1".."R12", as incidents\' legal qualification and the alert rules name them'),
    title: z.string(),
    citation: z.string(),
    status: z.enum(['verified', 'to_confirm']),
  })
  .meta({ id: 'LegalRuleSummary' });

export function presentLegalRuleSummary(rule: LegalRule, lang: Lang): z.infer<typeof legalRuleSummarySchema> {
  return { id: rule.id, title: rule.title[lang], citation: rule.citation[lang], status: rule.status };
}

/** Shapes a state row for the API. */
export function presentState(row: StateRow): z.infer<typeof stateSchema> {
  return {
    code: row.code,
    name: row.name,
    officialName: row.official_name,
    abbreviation: row.abbreviation,
    iso3166_2: row.iso_3166_2,
  };
}

/** Shapes state outlines as one GeoJSON FeatureCollection. */
export function presentStateFeatureCollection(rows: StateGeometryRow[]): z.infer<typeof stateFeatureCollectionSchema> {
  return {
    type: 'FeatureCollection',
    features: rows.map((row) => ({
      type: 'Feature' as const,
      properties: { code: row.code, name: row.name },
      // The loader checked this GeoJSON against the same schema before storing it.
      geometry: row.geometry as StateGeometry,
    })),
  };
}

/** Shapes a municipality row for the API. */
export function presentMunicipality(row: MunicipalityRow): z.infer<typeof municipalitySchema> {
  return {
    cvegeo: row.cvegeo,
    stateCode: row.state_code,
    code: row.code,
    name: row.name,
    seatName: row.seat_name,
    lat: row.lat,
    lon: row.lon,
    retiredIn: row.retired_in,
  };
}

/** Shapes a vocabulary's name and labels in one language. */
export function presentVocabularySummary(row: VocabularyRow, lang: Lang): z.infer<typeof vocabularySummarySchema> {
  return {
    name: row.name,
    label: lang === 'en' ? row.label_en : row.label_es,
    description: orNull(lang === 'en' ? row.description_en : row.description_es),
  };
}

/** Shapes a vocabulary and its terms in one language. */
export function presentVocabulary(
  row: VocabularyRow,
  terms: VocabularyTermRow[],
  lang: Lang,
): z.infer<typeof vocabularySchema> {
  return {
    ...presentVocabularySummary(row, lang),
    terms: terms.map((term) => ({
      code: term.code,
      label: lang === 'en' ? term.label_en : term.label_es,
      description: orNull(lang === 'en' ? term.description_en : term.description_es),
      huridocsCode: term.huridocs_code,
      parentCode: term.parent_code,
    })),
  };
}

// The database keeps "no description" as '' (a not-null column); clients get an explicit null.
function orNull(value: string): string | null {
  return value === '' ? null : value;
}
