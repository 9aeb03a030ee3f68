import { z } from 'zod';
import { NARRATIVE_LANGUAGES, VICTIM_KINDS, type FuzzyDate, type IncidentDocumentInput } from '../incident.js';

/**
 * How the columns of a spreadsheet become incident records (docs/IMPORT.md). Organizations arrive with
 * years of cases in their own spreadsheets, written their own way ("Guardia Nacional", "GN", "guardia
 * nacional"): the mapping says which column feeds which field and how each value becomes a vocabulary
 * code, so the file itself never has to be rewritten by hand. Pure: the lookups of states and
 * municipalities are given by the caller.
 */

const code = z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'must be a vocabulary code such as "GN"');
const columnName = z.string().trim().min(1, 'must name a column of the file');

/** A cell read as text. */
const textFieldSchema = z.object({ column: columnName }).strict();

/**
 * A cell turned into codes: through `values` (keys compared without case or accents), else `default`; a
 * `separator` splits a cell holding several values. Without `values`, the cell must hold the code itself.
 * `{ "value": "CODE" }` gives every row the same code.
 */
const codedFieldSchema = z.union([
  z
    .object({
      column: columnName,
      values: z.record(z.string(), code).optional(),
      default: code.optional(),
      separator: z.string().min(1).optional(),
    })
    .strict(),
  z.object({ value: code }).strict(),
]);

const DATE_FORMAT = /^(?=.*YYYY)(?=.*(MM|M))[YMD\s./-]+$/;
/**
 * A date in one column, written as `format` (tokens YYYY, MM or M, DD or D; anything else literal:
 * "DD/MM/YYYY", "YYYY-MM-DD"). A format without a day ("MM/YYYY") gives a month-precision date. Or a year
 * column and a month column (number or name in Spanish or English), which gives a month-precision date.
 */
const dateFieldSchema = z.union([
  z
    .object({
      column: columnName,
      format: z.string().regex(DATE_FORMAT, 'must be a format such as "DD/MM/YYYY" or "YYYY-MM-DD" (tokens YYYY, MM, M, DD, D)'),
      /** `approximate` when the file's dates are known to be around the day. */
      precision: z.enum(['day', 'approximate']).default('day'),
    })
    .strict(),
  z.object({ yearColumn: columnName, monthColumn: columnName }).strict(),
]);

export const importMappingSchema = z
  .object({
    version: z.literal(1, { error: 'must be 1' }),
    title: textFieldSchema,
    narrative: textFieldSchema.optional(),
    narrativeLanguage: z.enum(NARRATIVE_LANGUAGES).default('es'),
    startDate: dateFieldSchema,
    endDate: dateFieldSchema.optional(),
    /** A state's name (any of its names, without regard to accents or case) or its two-digit INEGI code. */
    state: textFieldSchema,
    /** A municipality's five-digit CVEGEO, its three-digit code within the state, or its name. */
    municipality: textFieldSchema.optional(),
    placeType: codedFieldSchema.optional(),
    /** One act per code, each done to the row's victim. */
    acts: codedFieldSchema,
    /** One involvement per perpetrator per act. */
    perpetrators: codedFieldSchema.optional(),
    involvementDegree: codedFieldSchema.optional(),
    /** The one victim of each row: by default the organization (the shelter) itself. */
    victim: z
      .object({
        kind: z.union([z.object({ value: z.enum(VICTIM_KINDS) }).strict(), z.object({ column: columnName, values: z.record(z.string(), z.enum(VICTIM_KINDS)) }).strict()]).default({ value: 'organization' }),
        characteristics: codedFieldSchema.optional(),
        count: textFieldSchema.optional(),
      })
      .strict()
      .default({ kind: { value: 'organization' } }),
    /** Where the information came from; a source is recorded when `type` gives a code. */
    source: z
      .object({ type: codedFieldSchema, reliability: codedFieldSchema.optional(), connection: codedFieldSchema.optional() })
      .strict()
      .optional(),
  })
  .strict();

export type ImportMapping = z.output<typeof importMappingSchema>;
type CodedField = z.output<typeof codedFieldSchema>;
type DateField = z.output<typeof dateFieldSchema>;

/** One thing wrong with one row: `row` as a spreadsheet numbers it (the header is row 1). */
export interface RowProblem {
  row: number;
  column: string;
  problem: string;
}

/** The states and municipalities, keyed for lookups by name or code (built once per import). */
export interface PlaceLookups {
  /** Normalized name, official name, abbreviation or code → two-digit code. */
  states: Map<string, string>;
  stateNames: Map<string, string>;
  /** CVEGEO → state code, for every municipality. */
  municipalities: Map<string, string>;
  /** `${stateCode}:${normalized name}` → CVEGEO. */
  municipalityNames: Map<string, string>;
}

/** Compares names as people type them: no accents, no case, single spaces, no trailing dots. */
export function normalizeKey(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').replace(/\.$/, '').trim();
}

/** Builds the lookups from reference rows. Among municipalities sharing a name, a current one wins. */
export function placeLookups(
  states: readonly { code: string; name: string; official_name: string; abbreviation: string }[],
  municipalities: readonly { cvegeo: string; state_code: string; name: string; retired_in: string | null }[],
): PlaceLookups {
  const lookups: PlaceLookups = { states: new Map(), stateNames: new Map(), municipalities: new Map(), municipalityNames: new Map() };
  for (const s of states) {
    for (const key of [s.code, s.name, s.official_name, s.abbreviation]) lookups.states.set(normalizeKey(key), s.code);
    lookups.stateNames.set(s.code, s.name);
  }
  const sorted = [...municipalities].sort((a, b) => Number(a.retired_in !== null) - Number(b.retired_in !== null));
  for (const m of sorted) {
    lookups.municipalities.set(m.cvegeo, m.state_code);
    const key = `${m.state_code}:${normalizeKey(m.name)}`;
    if (!lookups.municipalityNames.has(key)) lookups.municipalityNames.set(key, m.cvegeo);
  }
  return lookups;
}

/** Every column the mapping reads, so a missing one is reported once, against the header. */
export function mappedColumns(mapping: ImportMapping): string[] {
  const coded = (f: CodedField | undefined) => (f && 'column' in f ? [f.column] : []);
  const date = (f: DateField | undefined) => (!f ? [] : 'column' in f ? [f.column] : [f.yearColumn, f.monthColumn]);
  const columns = [
    mapping.title.column,
    ...(mapping.narrative ? [mapping.narrative.column] : []),
    ...date(mapping.startDate),
    ...date(mapping.endDate),
    mapping.state.column,
    ...(mapping.municipality ? [mapping.municipality.column] : []),
    ...coded(mapping.placeType),
    ...coded(mapping.acts),
    ...coded(mapping.perpetrators),
    ...coded(mapping.involvementDegree),
    ...('column' in mapping.victim.kind ? [mapping.victim.kind.column] : []),
    ...coded(mapping.victim.characteristics),
    ...(mapping.victim.count ? [mapping.victim.count.column] : []),
    ...coded(mapping.source?.type),
    ...coded(mapping.source?.reliability),
    ...coded(mapping.source?.connection),
  ];
  return [...new Set(columns)];
}

/**
 * The record a row describes, or the problems that stop it. The document still goes through
 * `incidentDocumentSchema` and the vocabulary check afterwards; `columnOf` names the column a field of
 * the record came from, so their problems can be reported against the file.
 */
export function mapRow(
  cells: Readonly<Record<string, string>>,
  mapping: ImportMapping,
  places: PlaceLookups,
): { document: IncidentDocumentInput | null; problems: { column: string; problem: string }[] } {
  const problems: { column: string; problem: string }[] = [];
  const cell = (column: string) => (cells[column] ?? '').trim();
  const report = (column: string, problem: string) => problems.push({ column, problem });

  const required = (column: string): string => {
    const value = cell(column);
    if (value === '') report(column, 'is empty');
    return value;
  };

  const title = required(mapping.title.column);
  const startDate = readDate(mapping.startDate, cell, report, true);
  const endDate = mapping.endDate ? readDate(mapping.endDate, cell, report, false) : null;

  const stateText = required(mapping.state.column);
  let stateCode: string | null = null;
  if (stateText !== '') {
    const numeric = /^\d{1,2}$/.test(stateText) ? stateText.padStart(2, '0') : stateText;
    stateCode = places.states.get(normalizeKey(numeric)) ?? null;
    if (!stateCode) report(mapping.state.column, `"${stateText}" is not a Mexican state's name or INEGI code`);
  }
  let municipalityCode: string | null = null;
  const municipalityText = mapping.municipality ? cell(mapping.municipality.column) : '';
  if (mapping.municipality && municipalityText !== '' && stateCode) {
    municipalityCode = findMunicipality(municipalityText, stateCode, places);
    if (!municipalityCode) {
      report(mapping.municipality.column, `"${municipalityText}" is not a municipality of ${places.stateNames.get(stateCode)} (${stateCode})`);
    }
  }

  const codes = (field: CodedField | undefined, many: boolean): string[] => (field ? readCodes(field, cell, report, many) : []);
  const placeType = codes(mapping.placeType, false)[0] ?? null;
  const actTypes = codes(mapping.acts, true);
  const perpetrators = codes(mapping.perpetrators, true);
  const degree = codes(mapping.involvementDegree, false)[0];
  const characteristics = codes(mapping.victim.characteristics, true);

  let kind: (typeof VICTIM_KINDS)[number] | undefined;
  if ('value' in mapping.victim.kind) kind = mapping.victim.kind.value;
  else {
    const field = mapping.victim.kind;
    const text = cell(field.column);
    kind = translate(field.values, text) as typeof kind | undefined;
    if (!kind) report(field.column, `"${text}" has no translation in the mapping (organization, person or group)`);
  }
  let count: number | null = null;
  if (mapping.victim.count) {
    const text = cell(mapping.victim.count.column);
    if (text !== '') {
      count = /^\d+$/.test(text) ? Number(text) : null;
      if (count === null) report(mapping.victim.count.column, `"${text}" is not a whole number`);
    }
  }

  const sourceType = codes(mapping.source?.type, false)[0];
  const reliability = codes(mapping.source?.reliability, false)[0];
  const connection = codes(mapping.source?.connection, false)[0];

  if (problems.length > 0 || !startDate || !stateCode || !kind) return { document: null, problems };

  const acts = actTypes.map((actType, i) => ({ id: `a${i + 1}`, actType, victimId: 'v1' }));
  const involvements = acts
    .flatMap((act) => perpetrators.map((perpetratorType) => ({ actId: act.id, perpetratorType, ...(degree ? { degree } : {}) })))
    .map((inv, i) => ({ id: `i${i + 1}`, ...inv }));
  return {
    document: {
      title,
      narrative: mapping.narrative ? cell(mapping.narrative.column) : '',
      narrativeLanguage: mapping.narrativeLanguage,
      startDate,
      endDate,
      place: { stateCode, municipalityCode, placeType },
      victims: [{ id: 'v1', kind, characteristics, count }],
      acts,
      involvements,
      sources: sourceType
        ? [{ id: 's1', sourceType, ...(reliability ? { reliability } : {}), ...(connection ? { connection } : {}) }]
        : [],
    },
    problems,
  };
}

/**
 * The column a field of the record (a Zod issue path, or a vocabulary check's field such as
 * "acts[].actType") came from; the field itself when the mapping fills it without a column.
 */
export function columnOf(mapping: ImportMapping, field: string): string {
  const coded = (f: CodedField | undefined) => (f && 'column' in f ? f.column : undefined);
  const date = (f: DateField | undefined) => (!f ? undefined : 'column' in f ? f.column : f.yearColumn);
  const head = field.replace(/\[\d*\]/g, '').split('.');
  const [first, second] = head;
  const byField: Record<string, string | undefined> = {
    title: mapping.title.column,
    narrative: mapping.narrative?.column,
    startDate: date(mapping.startDate),
    endDate: date(mapping.endDate),
    'place.stateCode': mapping.state.column,
    'place.municipalityCode': mapping.municipality?.column,
    'place.placeType': coded(mapping.placeType),
    acts: coded(mapping.acts),
    'involvements.perpetratorType': coded(mapping.perpetrators),
    'involvements.degree': coded(mapping.involvementDegree),
    'victims.characteristics': coded(mapping.victim.characteristics),
    'victims.count': mapping.victim.count?.column,
    'sources.sourceType': coded(mapping.source?.type),
    'sources.reliability': coded(mapping.source?.reliability),
    'sources.connection': coded(mapping.source?.connection),
  };
  return byField[`${first}.${second}`] ?? byField[first ?? ''] ?? field;
}

function findMunicipality(text: string, stateCode: string, places: PlaceLookups): string | null {
  if (/^\d{5}$/.test(text)) return places.municipalities.get(text) === stateCode ? text : null;
  if (/^\d{1,3}$/.test(text)) {
    const cvegeo = `${stateCode}${text.padStart(3, '0')}`;
    return places.municipalities.has(cvegeo) ? cvegeo : null;
  }
  return places.municipalityNames.get(`${stateCode}:${normalizeKey(text)}`) ?? null;
}

/** The code for a cell's text through `values` (without regard to case or accents), if any. */
function translate(values: Record<string, string> | undefined, text: string): string | undefined {
  if (!values) return undefined;
  const key = normalizeKey(text);
  for (const [from, to] of Object.entries(values)) if (normalizeKey(from) === key) return to;
  return undefined;
}

function readCodes(field: CodedField, cell: (c: string) => string, report: (c: string, p: string) => void, many: boolean): string[] {
  if ('value' in field) return [field.value];
  const text = cell(field.column);
  const parts = (many && field.separator ? text.split(field.separator) : [text]).map((p) => p.trim()).filter((p) => p !== '');
  if (parts.length === 0) return field.default ? [field.default] : [];
  const out: string[] = [];
  for (const part of parts) {
    const translated = field.values ? translate(field.values, part) : part;
    const result = translated ?? field.default;
    if (result === undefined) report(field.column, `"${part}" has no translation in the mapping and the column has no default`);
    else if (!out.includes(result)) out.push(result);
  }
  return out;
}

const MONTHS: Record<string, number> = Object.fromEntries(
  [
    ['enero', 'january', 'ene', 'jan'],
    ['febrero', 'february', 'feb'],
    ['marzo', 'march', 'mar'],
    ['abril', 'april', 'abr', 'apr'],
    ['mayo', 'may', 'may'],
    ['junio', 'june', 'jun'],
    ['julio', 'july', 'jul'],
    ['agosto', 'august', 'ago', 'aug'],
    ['septiembre', 'september', 'setiembre', 'sep', 'sept'],
    ['octubre', 'october', 'oct'],
    ['noviembre', 'november', 'nov'],
    ['diciembre', 'december', 'dic', 'dec'],
  ].flatMap((names, i) => names.map((n) => [n, i + 1])),
);

function readDate(
  field: DateField,
  cell: (c: string) => string,
  report: (c: string, p: string) => void,
  required: boolean,
): FuzzyDate | null {
  if ('yearColumn' in field) {
    const yearText = cell(field.yearColumn);
    const monthText = cell(field.monthColumn);
    if (yearText === '' && monthText === '') {
      if (required) report(field.yearColumn, 'is empty');
      return null;
    }
    const year = /^\d{4}$/.test(yearText) ? Number(yearText) : NaN;
    const month = /^\d{1,2}$/.test(monthText) ? Number(monthText) : (MONTHS[normalizeKey(monthText)] ?? NaN);
    if (Number.isNaN(year)) report(field.yearColumn, `"${yearText}" is not a year written YYYY`);
    if (!(month >= 1 && month <= 12)) report(field.monthColumn, `"${monthText}" is not a month (1-12 or its name)`);
    if (Number.isNaN(year) || !(month >= 1 && month <= 12)) return null;
    return { date: `${year}-${String(month).padStart(2, '0')}-01`, precision: 'month' };
  }
  const text = cell(field.column);
  if (text === '') {
    if (required) report(field.column, 'is empty');
    return null;
  }
  const parsed = parseDate(text, field.format);
  if (!parsed) {
    report(field.column, `"${text}" is not a date written ${field.format}`);
    return null;
  }
  return { date: parsed.date, precision: parsed.hasDay ? field.precision : 'month' };
}

/** Reads `text` written as `format`; null unless it is a real calendar date. */
export function parseDate(text: string, format: string): { date: string; hasDay: boolean } | null {
  const order: string[] = [];
  const pattern = format.replace(/YYYY|MM|M|DD|D|[.*+?^${}()|[\]\\]/g, (token) => {
    if (token === 'YYYY') return order.push('Y'), '(\\d{4})';
    if (token === 'MM' || token === 'M') return order.push('M'), token === 'MM' ? '(\\d{2})' : '(\\d{1,2})';
    if (token === 'DD' || token === 'D') return order.push('D'), token === 'DD' ? '(\\d{2})' : '(\\d{1,2})';
    return `\\${token}`;
  });
  const match = new RegExp(`^${pattern}$`).exec(text);
  if (!match) return null;
  const part = (p: string) => Number(match[order.indexOf(p) + 1]);
  const hasDay = order.includes('D');
  const year = part('Y');
  const month = part('M');
  const day = hasDay ? part('D') : 1;
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return { date: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`, hasDay };
}
