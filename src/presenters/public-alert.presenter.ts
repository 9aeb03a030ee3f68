import { z } from 'zod';
import type { PublicAlertRecord } from '../db/repositories/public-alerts.repository.js';
import { ALERT_LANGUAGES, type AlertLanguage } from '../domain/alert.js';

/*
 * An alert as the public sees it: exactly the content of its published version (both languages), the
 * public correction notes and, once withdrawn, the withdrawal notice instead of the text. Incident ids,
 * authors, reviewers, the internal reference and any draft never appear: the schemas below are the
 * routes' response schemas, so the serializer drops anything else as well.
 */

const textSchema = z.object({
  title: z.string(),
  summary: z.string(),
  facts: z.string(),
  cases: z.string(),
  legalFramework: z.string(),
  recommendations: z.string(),
});

const correctionSchema = z.object({
  version: z.number().int().describe('The public version the correction made'),
  at: z.iso.datetime(),
  note: z.string().describe('What was corrected, as written for the public'),
});

const withdrawalSchema = z
  .object({ at: z.iso.datetime(), reason: z.string().nullable() })
  .describe('Set once the alert is withdrawn: its text is then no longer published');

const commonShape = {
  slug: z.string(),
  status: z.enum(['published', 'withdrawn']),
  urgent: z.boolean(),
  publishedAt: z.iso.datetime(),
  updatedAt: z.iso.datetime().describe('The last publication, correction or withdrawal'),
  period: z.object({ from: z.string(), to: z.string() }),
  stateCodes: z.array(z.string()),
  actTypes: z.array(z.string()),
  title: z.object({ es: z.string(), en: z.string() }),
  withdrawal: withdrawalSchema.nullable(),
};

export const publicAlertSummarySchema = z
  .object({
    ...commonShape,
    summary: z.object({ es: z.string(), en: z.string() }).nullable().describe('Null once withdrawn'),
  })
  .meta({ id: 'PublicAlertSummary' });
export type PublicAlertSummary = z.infer<typeof publicAlertSummarySchema>;

export const publicAlertSchema = z
  .object({
    ...commonShape,
    perpetratorTypes: z.array(z.string()),
    legalRuleIds: z.array(z.string()),
    addressees: z.array(z.object({ code: z.string(), name: z.object({ es: z.string(), en: z.string() }), stateCode: z.string().nullable() })),
    text: z.object({ es: textSchema, en: textSchema }).nullable().describe('Null once withdrawn'),
    corrections: z.array(correctionSchema),
  })
  .meta({ id: 'PublicAlert' });
export type PublicAlert = z.infer<typeof publicAlertSchema>;

function updatedAt(record: PublicAlertRecord): string {
  const times = [record.publishedAt, record.withdrawnAt, ...record.corrections.map((c) => c.at)].filter((d): d is Date => d !== null);
  return new Date(Math.max(...times.map((d) => d.getTime()))).toISOString();
}

function common(record: PublicAlertRecord) {
  const { content } = record;
  const withdrawn = record.status === 'withdrawn';
  return {
    slug: record.slug,
    status: record.status,
    urgent: content.urgent,
    publishedAt: record.publishedAt.toISOString(),
    updatedAt: updatedAt(record),
    period: { from: content.period.from, to: content.period.to },
    stateCodes: [...content.stateCodes],
    actTypes: [...content.actTypes],
    title: { es: content.es.title, en: content.en.title },
    withdrawal: withdrawn ? { at: (record.withdrawnAt ?? record.publishedAt).toISOString(), reason: record.withdrawalReason } : null,
  };
}

function text(record: PublicAlertRecord, language: AlertLanguage) {
  const t = record.content[language];
  return { title: t.title, summary: t.summary, facts: t.facts, cases: t.cases, legalFramework: t.legalFramework, recommendations: t.recommendations };
}

export function presentPublicAlertSummary(record: PublicAlertRecord): PublicAlertSummary {
  const withdrawn = record.status === 'withdrawn';
  return {
    ...common(record),
    summary: withdrawn ? null : { es: record.content.es.summary, en: record.content.en.summary },
  };
}

export function presentPublicAlert(record: PublicAlertRecord): PublicAlert {
  const withdrawn = record.status === 'withdrawn';
  const { content } = record;
  return {
    ...common(record),
    perpetratorTypes: [...content.perpetratorTypes],
    legalRuleIds: [...content.legalRuleIds],
    addressees: content.addressees.map((a) => ({ code: a.code, name: { es: a.name.es, en: a.name.en }, stateCode: a.stateCode })),
    text: withdrawn ? null : (Object.fromEntries(ALERT_LANGUAGES.map((l) => [l, text(record, l)])) as PublicAlert['text']),
    corrections: record.corrections.map((c) => ({ version: c.version, at: c.at.toISOString(), note: c.note })),
  };
}
