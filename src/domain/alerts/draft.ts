import { alertContentSchema, type AlertAddressee, type AlertContent, type AlertLanguage, type AlertText } from '../alert.js';
import type { VocabularyLabels } from '../legal/labels.js';
import { byRuleNumber, type LegalRule } from '../legal/rules.js';

/**
 * Drafts an alert from the facts of verified incidents, in Spanish and English (DOMAIN.md §7): the
 * period, how many incidents, where, which acts by whom, illustrative cases, the legal framework of the
 * rules the incidents triggered, the addressees (DOMAIN.md §5) and a recommendation per rule. Pure: the
 * command gathers the facts (and redacts the narratives) first. The result is a starting point that
 * people edit; the do-no-harm check runs again on whatever they write.
 */

/** What drafting needs of one verified incident: its plain columns and, if it may be told, a redacted case. */
export interface DraftIncidentFacts {
  id: string;
  stateCode: string;
  startDate: string;
  datePrecision: 'day' | 'month' | 'approximate';
  endDate: string | null;
  actTypes: readonly string[];
  perpetratorTypes: readonly string[];
  victimTypes: readonly string[];
  legalRuleIds: readonly string[];
  /** The open narrative with every sealed value and contact pattern taken out; null when it may not be published. */
  caseText: { language: AlertLanguage; text: string } | null;
}

export interface DraftOptions {
  rules: readonly LegalRule[];
  labels: VocabularyLabels;
  /** State names by INEGI code. */
  stateNames: Readonly<Record<string, string>>;
  /** Figures for a place under this are written "fewer than N" (config.smallNumberThreshold). */
  smallNumberThreshold: number;
  /** How many illustrative cases to tell. */
  maxCases?: number;
}

/** Acts that make an alert urgent: a defender's life or liberty at risk (issue 5, severity rule). */
export const URGENT_ACT_TYPES: readonly string[] = ['DEATH_THREAT', 'PHYSICAL_ATTACK', 'ARBITRARY_DETENTION', 'DISAPPEARANCE', 'KILLING'];

const FEDERAL_FORCES = ['GN', 'SEDENA', 'SEMAR', 'PF', 'INM'];
const LOCAL_FORCES = ['POL_EST', 'POL_MUN'];
const MIGRATION_ACTS = ['MIGRATION_CHECK', 'INFO_DEMAND', 'ROUNDUP_NEARBY', 'DEPORTATION', 'ATTEMPTED_ENTRY', 'ARBITRARY_DETENTION'];
const CRIMINAL_ACTS = [
  'DEATH_THREAT', 'THREAT', 'PHYSICAL_ATTACK', 'EXCESSIVE_FORCE', 'ARBITRARY_DETENTION', 'RAID',
  'PROPERTY_DAMAGE', 'THEFT', 'SEXUAL_VIOLENCE', 'DISAPPEARANCE', 'KILLING',
];
const NON_STATE_OR_LOCAL = ['POL_EST', 'POL_MUN', 'FISCALIA', 'ORG_CRIME', 'PRIV_SEC', 'MOB', 'UNKNOWN'];
/** Addressees named once per state (DOMAIN.md §5). */
export const PER_STATE_ADDRESSEES: readonly string[] = ['CEDH', 'FISCALIA_ESTATAL', 'GOBIERNO_ESTATAL'];
const ADDRESSEE_ORDER = ['PRESIDENCIA', 'SEGOB', 'INM', 'SRE', 'SSPC', 'SEDENA', 'SEMAR', 'GN', 'MECANISMO', 'CNDH', 'FGR', 'CEDH', 'FISCALIA_ESTATAL', 'GOBIERNO_ESTATAL'];
/** The National Guard moved under the defence ministry in 2024 (DOMAIN.md §3, to confirm). */
const GN_UNDER_DEFENCE_FROM = '2024-01-01';

/** The words that change between the languages; everything else comes from Intl and the reference data. */
const WORDS = {
  es: {
    incidents: { one: 'incidente verificado', other: 'incidentes verificados' },
    states: { one: 'estado', other: 'estados' },
    incidentsShort: { one: 'incidente', other: 'incidentes' },
    fewerThan: (n: number) => `menos de ${n}`,
    period: (from: string, to: string) => (from === to ? `el ${from}` : `entre el ${from} y el ${to}`),
    title: (where: string) => `Agresiones a albergues y personas defensoras de migrantes en ${where}`,
    summary: (period: string, count: string, where: string, acts: string, by: string) =>
      `${capitalize(period)} se documentaron ${count} en ${where}: ${acts}, por parte de ${by}.`,
    factsIntro: (period: string, count: string, where: string) => `${capitalize(period)} se documentaron ${count} en ${where}.`,
    byState: 'Incidentes por estado:',
    byAct: 'Actos documentados (número de incidentes):',
    byPerpetrator: 'Presuntos responsables (número de incidentes):',
    casesIntro: 'Algunos casos, sin datos que identifiquen a las personas:',
    originalIn: ' (original en inglés)',
    noCases: 'Ninguno de los incidentes tiene un relato autorizado para publicarse.',
    appliesTo: (count: string) => `Aplica a ${count}.`,
    toConfirm: (what: string) => `Por confirmar antes de publicar: ${what}`,
    noRules: 'Ningún incidente activó una regla jurídica; describa aquí el marco aplicable.',
    generic: 'Que las autoridades investiguen estos hechos y garanticen la labor de quienes defienden a las personas migrantes.',
    urgent: 'Que el Mecanismo de Protección otorgue de inmediato medidas urgentes a las personas defensoras en riesgo.',
  },
  en: {
    incidents: { one: 'verified incident', other: 'verified incidents' },
    states: { one: 'state', other: 'states' },
    incidentsShort: { one: 'incident', other: 'incidents' },
    fewerThan: (n: number) => `fewer than ${n}`,
    period: (from: string, to: string) => (from === to ? `on ${from}` : `between ${from} and ${to}`),
    title: (where: string) => `Attacks on migrant shelters and defenders in ${where}`,
    summary: (period: string, count: string, where: string, acts: string, by: string) =>
      `${capitalize(period)}, ${count} were documented in ${where}: ${acts}, by ${by}.`,
    factsIntro: (period: string, count: string, where: string) => `${capitalize(period)}, ${count} were documented in ${where}.`,
    byState: 'Incidents by state:',
    byAct: 'Acts documented (number of incidents):',
    byPerpetrator: 'Alleged perpetrators (number of incidents):',
    casesIntro: 'Some cases, without anything that identifies the people involved:',
    originalIn: ' (original in Spanish)',
    noCases: 'None of the incidents has an account cleared for publication.',
    appliesTo: (count: string) => `Applies to ${count}.`,
    toConfirm: (what: string) => `To confirm before publication: ${what}`,
    noRules: 'No incident triggered a legal rule; set out the applicable framework here.',
    generic: 'The authorities should investigate these events and guarantee the work of those who defend migrants.',
    urgent: 'The Protection Mechanism should grant urgent measures at once to the defenders at risk.',
  },
} as const;

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** Counts with a noun that agrees: "1 incidente", "2 incidents". */
function counted(language: AlertLanguage, n: number, noun: { one: string; other: string }): string {
  const form = new Intl.PluralRules(language).select(n) === 'one' ? noun.one : noun.other;
  return `${n.toLocaleString(language)} ${form}`;
}

function list(language: AlertLanguage, items: readonly string[]): string {
  return new Intl.ListFormat(language, { style: 'long', type: 'conjunction' }).format(items);
}

function formatDate(language: AlertLanguage, isoDate: string, precision: 'day' | 'month' | 'approximate' = 'day'): string {
  const options: Intl.DateTimeFormatOptions =
    precision === 'day' ? { dateStyle: 'long', timeZone: 'UTC' } : { month: 'long', year: 'numeric', timeZone: 'UTC' };
  return new Intl.DateTimeFormat(language, options).format(new Date(`${isoDate}T00:00:00Z`));
}

/** Occurrences of each code across incidents (an incident counts once per code), most frequent first. */
function tally(incidents: readonly DraftIncidentFacts[], codesOf: (i: DraftIncidentFacts) => readonly string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const incident of incidents) for (const code of new Set(codesOf(incident))) counts.set(code, (counts.get(code) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** The period the incidents cover: the first start to the last end (or start). */
export function periodOf(incidents: readonly DraftIncidentFacts[]): { from: string; to: string } {
  const starts = incidents.map((i) => i.startDate).sort();
  const ends = incidents.map((i) => i.endDate ?? i.startDate).sort();
  return { from: starts[0]!, to: ends[ends.length - 1]! };
}

/**
 * The addressees the facts call for (DOMAIN.md §5) plus those of every triggered legal rule; per-state
 * authorities once for each state where the forces they answer for acted.
 */
export function chooseAddressees(incidents: readonly DraftIncidentFacts[], options: Pick<DraftOptions, 'rules' | 'labels' | 'stateNames'>): AlertAddressee[] {
  const national = new Set<string>();
  const perState = new Map<string, Set<string>>();
  const addState = (code: string, stateCode: string) => {
    const set = perState.get(code) ?? new Set<string>();
    set.add(stateCode);
    perState.set(code, set);
  };
  const states = new Set(incidents.map((i) => i.stateCode));
  const forces = new Set(incidents.flatMap((i) => i.perpetratorTypes));
  const federal = FEDERAL_FORCES.filter((f) => forces.has(f));
  if (states.size >= 3 || federal.length >= 2) national.add('PRESIDENCIA');
  const rulesById = new Map(options.rules.map((r) => [r.id, r]));
  for (const incident of incidents) {
    const acts = new Set(incident.actTypes);
    const perpetrators = new Set(incident.perpetratorTypes);
    const has = (codes: readonly string[], set: Set<string>) => codes.some((c) => set.has(c));
    if (has(MIGRATION_ACTS, acts) || perpetrators.has('INM')) national.add('INM').add('SEGOB');
    if (has(['ASYLUM_SEEKER', 'REFUGEE'], new Set(incident.victimTypes))) national.add('SRE');
    if (perpetrators.has('PF')) national.add('SSPC');
    if (perpetrators.has('GN')) national.add('GN').add(incident.startDate >= GN_UNDER_DEFENCE_FROM ? 'SEDENA' : 'SSPC');
    if (perpetrators.has('SEDENA')) national.add('SEDENA');
    if (perpetrators.has('SEMAR')) national.add('SEMAR');
    if (has(URGENT_ACT_TYPES, acts) || acts.has('THREAT')) national.add('MECANISMO').add('SEGOB');
    if (has(FEDERAL_FORCES, perpetrators) || perpetrators.has('OFFICIAL')) national.add('CNDH');
    if (has(CRIMINAL_ACTS, acts) && has(FEDERAL_FORCES, perpetrators)) national.add('FGR');
    if (has(LOCAL_FORCES, perpetrators)) addState('CEDH', incident.stateCode);
    if (has(CRIMINAL_ACTS, acts) && has(NON_STATE_OR_LOCAL, perpetrators)) addState('FISCALIA_ESTATAL', incident.stateCode);
    if (perpetrators.has('POL_EST')) addState('GOBIERNO_ESTATAL', incident.stateCode);
    for (const ruleId of incident.legalRuleIds) {
      for (const code of rulesById.get(ruleId)?.addressees ?? []) {
        if (PER_STATE_ADDRESSEES.includes(code)) addState(code, incident.stateCode);
        else national.add(code);
      }
    }
  }
  const name = (code: string, stateCode: string | null) => {
    const es = options.labels.label('addressees', code, 'es');
    const en = options.labels.label('addressees', code, 'en');
    if (!stateCode) return { es, en };
    const state = options.stateNames[stateCode] ?? stateCode;
    return { es: `${es} de ${state}`, en: `${en} of ${state}` };
  };
  const rank = (code: string) => (ADDRESSEE_ORDER.indexOf(code) + 1 || ADDRESSEE_ORDER.length + 1);
  const result: AlertAddressee[] = [];
  for (const code of [...national].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))) result.push({ code, name: name(code, null), stateCode: null });
  for (const code of [...perState.keys()].sort((a, b) => rank(a) - rank(b))) {
    const stateCodes = [...perState.get(code)!].sort();
    for (const stateCode of stateCodes) result.push({ code, name: name(code, stateCode), stateCode });
  }
  return result;
}

function draftText(language: AlertLanguage, incidents: readonly DraftIncidentFacts[], options: DraftOptions, period: { from: string; to: string }): AlertText {
  const w = WORDS[language];
  const threshold = options.smallNumberThreshold;
  const stateName = (code: string) => options.stateNames[code] ?? code;
  const byState = tally(incidents, (i) => [i.stateCode]);
  const single = byState.length === 1;
  /** A figure for a place: under the threshold it is written "fewer than N". */
  const placeFigure = (n: number) => (n < threshold ? w.fewerThan(threshold) : n.toLocaleString(language));
  const total = incidents.length;
  const countText = total < threshold ? `${w.fewerThan(threshold)} ${w.incidents.other}` : counted(language, total, w.incidents);
  const where = single ? stateName(byState[0]![0]) : `${counted(language, byState.length, w.states)} (${list(language, byState.map(([c]) => stateName(c)))})`;
  const periodText = w.period(formatDate(language, period.from), formatDate(language, period.to));
  const acts = tally(incidents, (i) => i.actTypes);
  const perpetrators = tally(incidents, (i) => i.perpetratorTypes);
  const actLabel = (code: string) => options.labels.label('act_types', code, language);
  const perpetratorLabel = (code: string) => options.labels.label('perpetrator_types', code, language);

  const topActs = list(language, acts.slice(0, 3).map(([c]) => lowerFirst(actLabel(c))));
  const by = list(language, perpetrators.slice(0, 3).map(([c]) => perpetratorLabel(c)));
  const summary = w.summary(periodText, countText, where, topActs || '—', by || '—');

  const facts = [
    w.factsIntro(periodText, countText, where),
    [w.byState, ...byState.map(([code, n]) => `- ${stateName(code)}: ${placeFigure(n)}`)].join('\n'),
    ...(acts.length ? [[w.byAct, ...acts.map(([code, n]) => `- ${actLabel(code)}: ${n.toLocaleString(language)}`)].join('\n')] : []),
    ...(perpetrators.length
      ? [[w.byPerpetrator, ...perpetrators.map(([code, n]) => `- ${perpetratorLabel(code)}: ${n.toLocaleString(language)}`)].join('\n')]
      : []),
  ].join('\n\n');

  const told = incidents
    .filter((i) => i.caseText && i.caseText.text.trim().length > 0)
    .sort((a, b) => a.startDate.localeCompare(b.startDate))
    .slice(0, options.maxCases ?? 3);
  const cases = told.length
    ? [
        w.casesIntro,
        told
          .map((i) => {
            const when = formatDate(language, i.startDate, i.datePrecision === 'day' ? 'day' : 'month');
            const note = i.caseText!.language === language ? '' : w.originalIn;
            return `- ${stateName(i.stateCode)}, ${when}: ${oneLine(i.caseText!.text)}${note}`;
          })
          .join('\n'),
      ].join('\n\n')
    : w.noCases;

  const triggered = byRuleNumber(options.rules.filter((r) => incidents.some((i) => i.legalRuleIds.includes(r.id))));
  const legalFramework = triggered.length
    ? triggered
        .map((rule) => {
          const n = incidents.filter((i) => i.legalRuleIds.includes(rule.id)).length;
          const parts = [`${rule.title[language]} (${rule.citation[language]}). ${rule.statement[language]} ${w.appliesTo(counted(language, n, w.incidentsShort))}`];
          if (rule.toConfirm) parts.push(w.toConfirm(rule.toConfirm[language]));
          return parts.join(' ');
        })
        .join('\n\n')
    : w.noRules;

  const urgent = incidents.some((i) => i.actTypes.some((a) => URGENT_ACT_TYPES.includes(a)));
  const recommendations = [
    ...new Set([...(urgent ? [w.urgent] : []), ...triggered.map((r) => r.recommendation[language]), ...(triggered.length ? [] : [w.generic])]),
  ]
    .map((r) => `- ${oneLine(r)}`)
    .join('\n');

  const title = w.title(single ? stateName(byState[0]![0]) : counted(language, byState.length, w.states));
  return { title, summary, facts, cases, legalFramework, recommendations };
}

/** A case is one list item: its own blank lines would split the list. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Builds the whole bilingual content from the incidents' facts. Throws on an empty set (the command refuses first). */
export function draftAlert(incidents: readonly DraftIncidentFacts[], options: DraftOptions): AlertContent {
  if (incidents.length === 0) throw new Error('draftAlert needs at least one incident');
  const period = periodOf(incidents);
  const triggered = byRuleNumber(options.rules.filter((r) => incidents.some((i) => i.legalRuleIds.includes(r.id))));
  return alertContentSchema.parse({
    es: draftText('es', incidents, options, period),
    en: draftText('en', incidents, options, period),
    addressees: chooseAddressees(incidents, options),
    period,
    stateCodes: [...new Set(incidents.map((i) => i.stateCode))].sort(),
    actTypes: [...new Set(incidents.flatMap((i) => i.actTypes))].sort(),
    perpetratorTypes: [...new Set(incidents.flatMap((i) => i.perpetratorTypes))].sort(),
    legalRuleIds: triggered.map((r) => r.id),
    urgent: incidents.some((i) => i.actTypes.some((a) => URGENT_ACT_TYPES.includes(a))),
  });
}
