import { z } from 'zod';
import { TERM_CODE_PATTERN } from '../vocabularies.js';
import { parsePattern } from './patterns.js';

/**
 * The triage lexicon (`data/reference/triage-lexicon.json`): the Spanish phrases that make Vigía suggest a
 * perpetrator, an act, a type of place or a place while someone reads a report. It is data so that the
 * people who read reports every day can add the wording they meet without touching code; this schema is
 * what keeps their edits from breaking triage silently (a malformed pattern is refused with its text).
 */

const text = z.string().trim().min(1);
const weight = z.number().gt(0).max(1);

const patternSchema = text.superRefine((pattern, ctx) => {
  try {
    parsePattern(pattern);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
  }
});

const triggerSchema = z.union([patternSchema, z.object({ pattern: patternSchema, weight }).strict()]);
const termCode = z.string().regex(TERM_CODE_PATTERN, 'must be a vocabulary term code (UPPER_SNAKE_CASE)');
const triggerListSchema = z.record(termCode, z.array(triggerSchema).min(1));

const stateCode = z.string().regex(/^(0[1-9]|[12][0-9]|3[0-2])$/, 'must be an INEGI state code "01".."32"');

export const triageLexiconSchema = z
  .object({
    name: z.literal('triage-lexicon'),
    version: text,
    language: z.literal('es'),
    about: z.array(text),
    triggers: z
      .object({
        perpetratorTypes: triggerListSchema,
        actTypes: triggerListSchema,
        placeTypes: triggerListSchema,
      })
      .strict(),
    places: z
      .object({
        /** Other ways reports name a state ("CDMX", "Edomex"), folded like report text. */
        stateAliases: z.record(stateCode, z.array(text)),
        /** State names never matched alone ("México" is the country far more often than the state). */
        ignoredStateNames: z.array(text),
        /** INEGI abbreviations that collide with common ones ("Col." is colonia before Colima). */
        ignoredStateAbbreviations: z.array(text),
        /** Names reports use for a municipality that the catalogue spells otherwise ("Ciudad Juárez"). */
        municipalityAliases: z.array(
          z.object({ cvegeo: z.string().regex(/^\d{5}$/), phrases: z.array(text).min(1) }).strict(),
        ),
        /** One-word municipality names this short or shorter need a marker (see `markerRequired`). */
        shortNameLength: z.number().int().min(0).max(10),
        /** Names that are also common words or people's names; they need a marker to count as a place. */
        markerRequired: z.array(text),
        /** Words right before a name that make it a place ("municipio de", "ciudad"). */
        placeMarkers: z.array(text),
        /** Words right before a name that make it a street, school or person ("calle", "colonia", "don"). */
        notPlaceMarkers: z.array(text),
      })
      .strict(),
  })
  .strict();

/** One phrase of the lexicon as written in the file: a pattern alone, or with how sure it makes us. */
export type LexiconTrigger = z.infer<typeof triggerSchema>;
/** The parsed lexicon; `suggestFromText` takes it through `buildGazetteer`, never reading the file itself. */
export type TriageLexicon = z.infer<typeof triageLexiconSchema>;

/** The three vocabularies triage suggests terms from, as the lexicon and the suggestions name them. */
export const TRIGGER_CATEGORIES = ['perpetratorTypes', 'actTypes', 'placeTypes'] as const;
export type TriggerCategory = (typeof TRIGGER_CATEGORIES)[number];

/** A lexicon file that does not fit the schema; the message names the field and what is wrong. */
export class TriageLexiconError extends Error {
  override name = 'TriageLexiconError';
}

/**
 * Validates a lexicon already read from JSON. Pure, so callers decide where the file comes from (the
 * shipped one, or an installation's extended copy) and tests can pass a small one.
 */
export function parseTriageLexicon(raw: unknown): TriageLexicon {
  const result = triageLexiconSchema.safeParse(raw);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new TriageLexiconError(`triage lexicon: ${issues.join('; ')}`);
  }
  return result.data;
}
