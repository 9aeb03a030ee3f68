import { z } from 'zod';

/**
 * An alert's content: the text in both languages plus the facts it was drafted from, stored whole in
 * `alerts.content` and in every `alert_versions.content`. The text is plain (paragraphs separated by a
 * blank line, list items starting with "- "): it is never HTML, so nothing in it can run in a page, a
 * feed, an e-mail or a PDF — each renderer turns paragraphs into its own markup.
 *
 * What the public may see is exactly this document at the published version; it must therefore hold no
 * sealed value (names, contacts, exact places). The do-no-harm check enforces that before publication.
 */

export const ALERT_LANGUAGES = ['es', 'en'] as const;
export type AlertLanguage = (typeof ALERT_LANGUAGES)[number];

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date written YYYY-MM-DD' });
const text = (max: number) => z.string().max(max, { error: `must be at most ${max} characters` });

/** One language's text, section by section (DOMAIN.md §7, anatomy of an alert). */
export const alertTextSchema = z
  .object({
    title: z.string().trim().min(1, { error: 'is required' }).max(300, { error: 'must be at most 300 characters' }),
    summary: text(3_000),
    facts: text(20_000),
    cases: text(20_000),
    legalFramework: text(20_000),
    recommendations: text(20_000),
  })
  .strict();
export type AlertText = z.infer<typeof alertTextSchema>;

/** An authority the alert is addressed to (DOMAIN.md §5), with its name in both languages. */
export const alertAddresseeSchema = z
  .object({
    code: z.string().regex(/^[A-Z][A-Z0-9_]*$/, { error: 'must be an addressee code such as INM' }),
    name: z.object({ es: z.string().trim().min(1).max(300), en: z.string().trim().min(1).max(300) }).strict(),
    /** Per state (CEDH, FISCALIA_ESTATAL, GOBIERNO_ESTATAL): the state's INEGI code. */
    stateCode: z.string().regex(/^\d{2}$/).nullable().default(null),
  })
  .strict();
export type AlertAddressee = z.infer<typeof alertAddresseeSchema>;

export const alertContentSchema = z
  .object({
    es: alertTextSchema,
    en: alertTextSchema,
    addressees: z.array(alertAddresseeSchema).max(50),
    /** The period the facts cover. */
    period: z.object({ from: isoDate, to: isoDate }).strict(),
    /** What subscribers filter on, and what the public list shows: states and act types the alert covers. */
    stateCodes: z.array(z.string().regex(/^\d{2}$/)).max(32),
    actTypes: z.array(z.string().min(1).max(64)).max(100),
    perpetratorTypes: z.array(z.string().min(1).max(64)).max(100),
    /** The legal rules (data/reference/legal-rules.json ids) the alert's legal framework cites. */
    legalRuleIds: z.array(z.string().min(1).max(16)).max(50),
    /** Marked urgent when a severity rule fired (defenders at risk). */
    urgent: z.boolean().default(false),
  })
  .strict()
  .refine((c) => c.period.from <= c.period.to, { error: 'the period must not end before it starts', path: ['period', 'to'] });
export type AlertContent = z.output<typeof alertContentSchema>;
export type AlertContentInput = z.input<typeof alertContentSchema>;

/**
 * The text's paragraphs (see alert-blocks.ts): exported from here for the public pages, and kept in a
 * file without zod so the workspace editor's preview can use it without loading zod in the browser,
 * whose compiled parsers the Content-Security-Policy forbids (no eval).
 */
export { alertBlocks } from './alert-blocks.js';
