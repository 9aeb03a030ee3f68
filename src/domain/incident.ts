import { z } from 'zod';

/**
 * The incident record, shaped after HURIDOCS' Events Standard Formats (DOMAIN.md §3): an event with its
 * acts (one thing done to one victim), victims (a shelter as an organization, a defender, migrants as a
 * count), involvements (who did the act, and how), sources with their reliability, interventions (what was
 * done about it) and links to other events. Codes come from the controlled vocabularies; the commands
 * check them against the database, this schema checks their shape.
 *
 * Identities (a person's name, a source's name or contact) and exact coordinates are the fields marked
 * sensitive below: `splitSensitive` moves them out of the document into the sealed part, which only the
 * owning organization's key opens.
 */

const code = z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'must be a vocabulary code such as "GN" or "ATTEMPTED_ENTRY"');
/** Ids of the parts inside one record (acts refer to victims, involvements to acts). */
const localId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,35}$/, 'must be a short id of lower-case letters, digits and hyphens');
const shortText = (max: number) => z.string().trim().max(max);

export const DATE_PRECISIONS = ['day', 'month', 'approximate'] as const;
export type DatePrecisionCode = (typeof DATE_PRECISIONS)[number];

/**
 * A date as precise as what is known: `day` (2019-07-20), `month` (2019-07, stored as its first day) or
 * `approximate` (around that day).
 */
export const fuzzyDateSchema = z
  .object({
    date: z.iso.date({ error: 'must be a date written YYYY-MM-DD' }),
    precision: z.enum(DATE_PRECISIONS, { error: 'must be day, month or approximate' }),
  })
  .strict()
  .refine((d) => d.precision !== 'month' || d.date.endsWith('-01'), {
    message: 'a month-precision date is written as the first day of its month (YYYY-MM-01)',
    path: ['date'],
  });
export type FuzzyDate = z.infer<typeof fuzzyDateSchema>;

export const coordinatesSchema = z
  .object({ lat: z.number().min(14).max(33.5), lon: z.number().min(-118.5).max(-86.5) })
  .strict();

export const placeSchema = z
  .object({
    stateCode: z.string().regex(/^\d{2}$/, 'must be a two-digit INEGI state code such as "05"'),
    municipalityCode: z.string().regex(/^\d{5}$/, 'must be a five-digit INEGI municipality code (CVEGEO) such as "05030"').nullable().default(null),
    placeType: code.nullable().default(null),
    /** A shelter that uses Vigía, when the incident happened there. */
    shelterOrganizationId: z.uuid().nullable().default(null),
    /** Sensitive: exact coordinates are sealed; public figures never go below the municipality. */
    coordinates: coordinatesSchema.nullable().default(null),
  })
  .strict();

export const VICTIM_KINDS = ['organization', 'person', 'group'] as const;

export const victimSchema = z
  .object({
    id: localId,
    kind: z.enum(VICTIM_KINDS, { error: 'must be organization, person or group' }),
    /** Sensitive: a person's or organization's name. */
    name: shortText(200).nullable().default(null),
    /** A shelter that uses Vigía. */
    organizationId: z.uuid().nullable().default(null),
    characteristics: z.array(code).max(20).default([]),
    /** For a group (e.g. "migrants staying at the shelter"): how many, when known. */
    count: z.number().int().min(1).max(100_000).nullable().default(null),
    description: shortText(1000).default(''),
  })
  .strict();

export const actSchema = z
  .object({
    id: localId,
    actType: code,
    victimId: localId,
    date: fuzzyDateSchema.nullable().default(null),
    method: shortText(1000).default(''),
    consequences: shortText(2000).default(''),
  })
  .strict();

export const involvementSchema = z
  .object({
    id: localId,
    actId: localId,
    perpetratorType: code,
    degree: code.default('DIRECTLY_CARRIED_OUT'),
    /** Unit, vehicles, number of agents, uniforms: what identifies the force, not a person. */
    unit: shortText(500).default(''),
  })
  .strict();

export const sourceSchema = z
  .object({
    id: localId,
    sourceType: code,
    connection: code.default('UNKNOWN'),
    reliability: code.default('UNKNOWN'),
    /** Sensitive: who gave the information and how to reach them. */
    name: shortText(200).nullable().default(null),
    contact: shortText(200).nullable().default(null),
    date: fuzzyDateSchema.nullable().default(null),
    description: shortText(2000).default(''),
  })
  .strict();

export const interventionSchema = z
  .object({
    id: localId,
    interventionType: code,
    status: code.default('PLANNED'),
    date: fuzzyDateSchema.nullable().default(null),
    /** The body addressed (e.g. "CNDH", "Fiscalía de Coahuila") and any file number. */
    addressedTo: shortText(300).default(''),
    reference: shortText(200).default(''),
    description: shortText(2000).default(''),
  })
  .strict();

export const LINK_RELATIONS = ['same_campaign', 'related', 'follow_up', 'duplicate'] as const;

export const linkSchema = z
  .object({
    incidentId: z.uuid(),
    relation: z.enum(LINK_RELATIONS, { error: `must be one of ${LINK_RELATIONS.join(', ')}` }),
  })
  .strict();

/** The answers a circumstance can have; the legal rules' triggers name them too. */
export const KNOWABLE_ANSWERS = ['yes', 'no', 'unknown'] as const;
export type KnowableAnswer = (typeof KNOWABLE_ANSWERS)[number];

/** Facts the legal rules need that an act type alone does not say. `unknown` until someone knows. */
const knowable = z.enum(KNOWABLE_ANSWERS).default('unknown');
export const circumstancesSchema = z
  .object({
    /** An INM written order was shown (LM arts. 92, 97). */
    writtenOrderShown: knowable,
    /** The agents identified themselves (RLM art. 213). */
    agentsIdentified: knowable,
    /** INM agents were present or had requested the action (LM arts. 81, 96; LGN art. 9). */
    inmRequested: knowable,
    /** A judicial order for entering or searching premises was shown (Constitution art. 16). */
    judicialOrderShown: knowable,
  })
  .strict();
export type Circumstances = z.infer<typeof circumstancesSchema>;

export const NARRATIVE_LANGUAGES = ['es', 'en'] as const;

/** The whole record as a documenter writes it (through the API, the editor or an import). */
export const incidentDocumentSchema = z
  .object({
    title: z.string().trim().min(3, 'must be at least 3 characters').max(200),
    narrative: z.string().trim().max(20_000).default(''),
    narrativeLanguage: z.enum(NARRATIVE_LANGUAGES).default('es'),
    startDate: fuzzyDateSchema,
    endDate: fuzzyDateSchema.nullable().default(null),
    place: placeSchema,
    circumstances: circumstancesSchema.default({
      writtenOrderShown: 'unknown',
      agentsIdentified: 'unknown',
      inmRequested: 'unknown',
      judicialOrderShown: 'unknown',
    }),
    victims: z.array(victimSchema).max(200).default([]),
    acts: z.array(actSchema).max(500).default([]),
    involvements: z.array(involvementSchema).max(1000).default([]),
    sources: z.array(sourceSchema).max(200).default([]),
    interventions: z.array(interventionSchema).max(200).default([]),
    links: z.array(linkSchema).max(200).default([]),
  })
  .strict()
  .superRefine((doc, ctx) => {
    checkUniqueIds(doc.victims, ['victims'], ctx);
    checkUniqueIds(doc.acts, ['acts'], ctx);
    checkUniqueIds(doc.involvements, ['involvements'], ctx);
    checkUniqueIds(doc.sources, ['sources'], ctx);
    checkUniqueIds(doc.interventions, ['interventions'], ctx);
    const victimIds = new Set(doc.victims.map((v) => v.id));
    doc.acts.forEach((act, i) => {
      if (!victimIds.has(act.victimId)) {
        ctx.addIssue({ code: 'custom', path: ['acts', i, 'victimId'], message: `names no victim of this incident ("${act.victimId}")` });
      }
    });
    const actIds = new Set(doc.acts.map((a) => a.id));
    doc.involvements.forEach((inv, i) => {
      if (!actIds.has(inv.actId)) {
        ctx.addIssue({ code: 'custom', path: ['involvements', i, 'actId'], message: `names no act of this incident ("${inv.actId}")` });
      }
    });
    if (doc.endDate && doc.endDate.date < doc.startDate.date) {
      ctx.addIssue({ code: 'custom', path: ['endDate', 'date'], message: 'must not be before the start date' });
    }
    if (doc.place.municipalityCode && !doc.place.municipalityCode.startsWith(doc.place.stateCode)) {
      ctx.addIssue({ code: 'custom', path: ['place', 'municipalityCode'], message: `is not a municipality of state ${doc.place.stateCode}` });
    }
  });

export type IncidentDocumentInput = z.input<typeof incidentDocumentSchema>;
export type IncidentDocument = z.output<typeof incidentDocumentSchema>;

function checkUniqueIds(items: readonly { id: string }[], path: (string | number)[], ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.id)) ctx.addIssue({ code: 'custom', path: [...path, i, 'id'], message: `repeats the id "${item.id}"` });
    seen.add(item.id);
  });
}

/** What is sealed for one incident: identities, contacts and exact coordinates, by the part they belong to. */
export interface IncidentSensitive {
  coordinates: { lat: number; lon: number } | null;
  victims: Record<string, { name: string }>;
  sources: Record<string, { name: string | null; contact: string | null }>;
}

/**
 * Splits a record into what may be stored in plain text and what must be sealed. The plain document keeps
 * every field, with the sensitive ones set to null, so it stays valid against the schema.
 */
export function splitSensitive(doc: IncidentDocument): { open: IncidentDocument; sensitive: IncidentSensitive | null } {
  const sensitive: IncidentSensitive = { coordinates: doc.place.coordinates, victims: {}, sources: {} };
  let any = doc.place.coordinates !== null;
  const victims = doc.victims.map((v) => {
    if (v.name === null || v.name === '') return { ...v, name: null };
    sensitive.victims[v.id] = { name: v.name };
    any = true;
    return { ...v, name: null };
  });
  const sources = doc.sources.map((s) => {
    if (!s.name && !s.contact) return { ...s, name: null, contact: null };
    sensitive.sources[s.id] = { name: s.name || null, contact: s.contact || null };
    any = true;
    return { ...s, name: null, contact: null };
  });
  return {
    open: { ...doc, place: { ...doc.place, coordinates: null }, victims, sources },
    sensitive: any ? sensitive : null,
  };
}

/** Puts the sealed fields back into the plain document (for those allowed to read them). */
export function mergeSensitive(open: IncidentDocument, sensitive: IncidentSensitive | null): IncidentDocument {
  if (!sensitive) return open;
  return {
    ...open,
    place: { ...open.place, coordinates: sensitive.coordinates },
    victims: open.victims.map((v) => ({ ...v, name: sensitive.victims[v.id]?.name ?? v.name })),
    sources: open.sources.map((s) => ({
      ...s,
      name: sensitive.sources[s.id]?.name ?? s.name,
      contact: sensitive.sources[s.id]?.contact ?? s.contact,
    })),
  };
}

/**
 * Fills the sealed fields left empty in `incoming` with those `stored` has for the same parts: for someone
 * who may edit a record but not read its sealed fields, empty means "not shown to me", not "erase".
 */
export function keepSealedFields(incoming: IncidentDocument, stored: IncidentDocument): IncidentDocument {
  const victims = new Map(stored.victims.map((v) => [v.id, v]));
  const sources = new Map(stored.sources.map((s) => [s.id, s]));
  return {
    ...incoming,
    place: { ...incoming.place, coordinates: incoming.place.coordinates ?? stored.place.coordinates },
    victims: incoming.victims.map((v) => ({ ...v, name: v.name || victims.get(v.id)?.name || null })),
    sources: incoming.sources.map((s) => ({
      ...s,
      name: s.name || sources.get(s.id)?.name || null,
      contact: s.contact || sources.get(s.id)?.contact || null,
    })),
  };
}

/** The vocabulary codes a record uses, by vocabulary, so a command can check them all in one query. */
export function vocabularyCodesOf(doc: IncidentDocument): Record<string, Set<string>> {
  const codes: Record<string, Set<string>> = {
    act_types: new Set(doc.acts.map((a) => a.actType)),
    perpetrator_types: new Set(doc.involvements.map((i) => i.perpetratorType)),
    involvement_degrees: new Set(doc.involvements.map((i) => i.degree)),
    victim_characteristics: new Set(doc.victims.flatMap((v) => v.characteristics)),
    source_types: new Set(doc.sources.map((s) => s.sourceType)),
    source_connections: new Set(doc.sources.map((s) => s.connection)),
    source_reliability: new Set(doc.sources.map((s) => s.reliability)),
    intervention_types: new Set(doc.interventions.map((i) => i.interventionType)),
    intervention_statuses: new Set(doc.interventions.map((i) => i.status)),
    place_types: new Set(doc.place.placeType ? [doc.place.placeType] : []),
  };
  return codes;
}

/** The kinds of victim a record names, for filters: each victim's kind plus their characteristics. */
export function victimTypesOf(doc: IncidentDocument): string[] {
  return [...new Set(doc.victims.flatMap((v) => [v.kind.toUpperCase(), ...v.characteristics]))].sort();
}
