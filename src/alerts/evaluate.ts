import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { canonicalJson } from '../audit/canonical.js';
import type { Database } from '../db/client.js';
import type { DB } from '../db/schema.js';
import { parseRule, type AlertRule, type EscalationParameters, type SpreadParameters } from './rule-kinds.js';

/**
 * Early-warning evaluation. Verified incidents are copied into rollups (alert_incident_facts, one row
 * per incident and network it reaches; alert_daily_counts per network, state and day), and the rules
 * read only those, through indexed range queries bounded by the rule's window: the cost of evaluating
 * one incident depends on how many incidents fall in the window, not on how many are stored.
 *
 * Signals are per network, because an incident reaches a network only when its organization shares it
 * with its networks. A firing whose rule and dedupe key match an open signal updates that signal (new
 * incidents, new figures, an event row); it never opens a second one.
 */

/** What a signal says in numbers; the inbox turns it into words. */
export interface SignalFigures {
  kind: AlertRule['kind'];
  /** Incidents behind this firing. */
  incidents: number;
  /** INEGI codes of the states they happened in, sorted. */
  states: string[];
  /** The window the rule looked at (inclusive), when it has one. */
  from?: string;
  to?: string;
  days?: number;
  /** escalation: incidents in the last period and the average of the previous ones. */
  current?: number;
  previousAverage?: number;
  /** repeat_targeting: the shelter (organization id) targeted. */
  shelterOrganizationId?: string;
  /** outside_mandate: the legal rule matched. */
  legalRuleId?: string;
  /** severity: the grave acts found, and who the alert must go to. */
  actTypes?: string[];
  addressees?: string[];
}

type Executor = Kysely<DB>;

interface Fact {
  network_id: string;
  incident_id: string;
  state_code: string;
  occurred_on: string;
  act_types: string[];
  perpetrator_types: string[];
  victim_types: string[];
  place_type: string | null;
  shelter_key: string | null;
  legal_rule_ids: string[];
}

interface Firing {
  rule: AlertRule;
  networkId: string;
  key: string;
  urgent: boolean;
  figures: SignalFigures;
  incidentIds: string[];
}

const SHELTER_PLACES = ['MIGRANT_SHELTER', 'SHELTER_SURROUNDINGS'];

/** 'YYYY-MM-DD' plus (or minus) whole days, in UTC so no time zone moves the day. */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/**
 * Which shelter an incident targeted, from what is never sealed: the Vigía shelter named as the place
 * (`place.shelterOrganizationId`), else the first victim that is a Vigía organization, else — for an
 * incident at or around a shelter recorded by a shelter — the recording shelter itself. Names and
 * addresses are sealed and never used: incidents at a shelter that is not in Vigía have no key and do
 * not count towards repeat targeting.
 */
export function shelterKeyOf(incident: {
  document: unknown;
  place_type: string | null;
  organization_id: string;
  organizationKind: string;
}): string | null {
  const doc = incident.document as { place?: { shelterOrganizationId?: string | null }; victims?: Array<{ kind?: string; organizationId?: string | null }> };
  const named = doc.place?.shelterOrganizationId ?? doc.victims?.find((v) => v.kind === 'organization' && v.organizationId)?.organizationId;
  if (named) return `org:${named}`;
  if (incident.organizationKind === 'shelter' && incident.place_type && SHELTER_PLACES.includes(incident.place_type)) {
    return `org:${incident.organization_id}`;
  }
  return null;
}

/**
 * Brings the rollups of one incident up to date with the incident as it now is: rows for each network
 * it reaches when it is verified, not archived, shared and dated in a state; no rows otherwise. The
 * daily counts of every (network, state, day) it was or is in are recounted. Returns its facts.
 */
export async function refreshIncidentFacts(trx: Executor, incidentId: string): Promise<Fact[]> {
  const previous = await trx
    .deleteFrom('alert_incident_facts')
    .where('incident_id', '=', incidentId)
    .returning(['network_id', 'state_code', 'occurred_on'])
    .execute();
  const incident = await trx
    .selectFrom('incidents')
    .innerJoin('organizations', 'organizations.id', 'incidents.organization_id')
    .select([
      'incidents.id',
      'incidents.organization_id',
      'incidents.status',
      'incidents.archived_at',
      'incidents.shared_with_networks',
      'incidents.state_code',
      'incidents.municipality_code',
      'incidents.start_date',
      'incidents.act_types',
      'incidents.perpetrator_types',
      'incidents.victim_types',
      'incidents.place_type',
      'incidents.legal_rule_ids',
      'incidents.document',
      'organizations.kind as organizationKind',
    ])
    .where('incidents.id', '=', incidentId)
    .executeTakeFirst();
  let facts: Fact[] = [];
  if (
    incident &&
    incident.status === 'verified' &&
    !incident.archived_at &&
    incident.state_code &&
    incident.start_date
  ) {
    // A network's own incidents are its own; a member's reach its networks when it shares them.
    const networks = incident.organizationKind === 'network' ? [{ network_id: incident.organization_id }] : [];
    if (incident.shared_with_networks) {
      networks.push(
        ...(await trx.selectFrom('network_members').select('network_id').where('organization_id', '=', incident.organization_id).execute()),
      );
    }
    const shelterKey = shelterKeyOf(incident);
    facts = networks.map(({ network_id }) => ({
      network_id,
      incident_id: incident.id,
      state_code: incident.state_code!,
      occurred_on: incident.start_date!,
      act_types: incident.act_types,
      perpetrator_types: incident.perpetrator_types,
      victim_types: incident.victim_types,
      place_type: incident.place_type,
      shelter_key: shelterKey,
      legal_rule_ids: incident.legal_rule_ids,
    }));
    if (facts.length > 0) {
      await trx
        .insertInto('alert_incident_facts')
        .values(facts.map((f) => ({ ...f, organization_id: incident.organization_id, municipality_code: incident.municipality_code })))
        .execute();
    }
  }
  const touched = new Map<string, { network_id: string; state_code: string; day: string }>();
  for (const f of [...previous.map((p) => ({ ...p, day: p.occurred_on })), ...facts.map((f) => ({ ...f, day: f.occurred_on }))]) {
    touched.set(`${f.network_id}|${f.state_code}|${f.day}`, { network_id: f.network_id, state_code: f.state_code, day: f.day });
  }
  for (const key of touched.values()) await recountDay(trx, key);
  return facts;
}

async function recountDay(trx: Executor, key: { network_id: string; state_code: string; day: string }): Promise<void> {
  const { count } = await trx
    .selectFrom('alert_incident_facts')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('network_id', '=', key.network_id)
    .where('state_code', '=', key.state_code)
    .where('occurred_on', '=', key.day)
    .executeTakeFirstOrThrow();
  if (Number(count) === 0) {
    await trx
      .deleteFrom('alert_daily_counts')
      .where('network_id', '=', key.network_id)
      .where('state_code', '=', key.state_code)
      .where('day', '=', key.day)
      .execute();
    return;
  }
  await trx
    .insertInto('alert_daily_counts')
    .values({ ...key, incidents: Number(count) })
    .onConflict((oc) => oc.columns(['network_id', 'state_code', 'day']).doUpdateSet({ incidents: Number(count) }))
    .execute();
}

/** The enabled rules, parsed. */
export async function loadEnabledRules(executor: Executor): Promise<AlertRule[]> {
  const rows = await executor.selectFrom('alert_rules').selectAll().where('enabled', '=', true).orderBy('id').execute();
  return rows.map(parseRule);
}

/**
 * The incremental evaluation (job rules.evaluate): refreshes the incident's rollups and evaluates every
 * enabled rule for each network the incident reaches, in one transaction.
 */
export async function evaluateIncident(database: Database, incidentId: string): Promise<{ firings: number }> {
  return database.transaction(async (trx) => {
    const facts = await refreshIncidentFacts(trx, incidentId);
    const rules = await loadEnabledRules(trx);
    let firings = 0;
    for (const fact of facts) firings += await evaluateFact(trx, fact, rules);
    return { firings };
  });
}

/**
 * The full evaluation (job rules.evaluate_all, after a rule changes, and at the end of the demo seed):
 * rebuilds the rollups of every verified incident and evaluates each, in date order, in batches. With
 * `organizationId` (job rules.evaluate_organization, after it joins or leaves a network), only that
 * organization's incidents: their rows then follow the networks they now reach.
 */
export async function evaluateAll(
  database: Database,
  options: { batchSize?: number; organizationId?: string } = {},
): Promise<{ incidents: number; firings: number }> {
  const { organizationId } = options;
  const batchSize = options.batchSize ?? 200;
  // Incidents no longer verified lose their rows too.
  await database.transaction(async (trx) => {
    const stale = await trx
      .selectFrom('alert_incident_facts')
      .innerJoin('incidents', 'incidents.id', 'alert_incident_facts.incident_id')
      .select('incident_id')
      .distinct()
      .where((eb) => eb.or([eb('incidents.status', '<>', 'verified'), eb('incidents.archived_at', 'is not', null), eb('incidents.shared_with_networks', '=', false)]))
      .$if(organizationId !== undefined, (q) => q.where('incidents.organization_id', '=', organizationId!))
      .execute();
    for (const { incident_id } of stale) await refreshIncidentFacts(trx, incident_id);
  });
  let after: { date: string; id: string } | null = null;
  let incidents = 0;
  let firings = 0;
  for (;;) {
    const cursor: { date: string; id: string } | null = after;
    const batch: Array<{ id: string; start_date: string | null }> = await database.db
      .selectFrom('incidents')
      .select(['id', 'start_date'])
      .where('status', '=', 'verified')
      .where('archived_at', 'is', null)
      .where('start_date', 'is not', null)
      .$if(organizationId !== undefined, (q) => q.where('organization_id', '=', organizationId!))
      .$if(cursor !== null, (q) =>
        q.where((eb) => eb.or([eb('start_date', '>', cursor!.date), eb.and([eb('start_date', '=', cursor!.date), eb('id', '>', cursor!.id)])])),
      )
      .orderBy('start_date')
      .orderBy('id')
      .limit(batchSize)
      .execute();
    if (batch.length === 0) break;
    for (const incident of batch) {
      firings += (await evaluateIncident(database, incident.id)).firings;
      incidents += 1;
    }
    const last: { id: string; start_date: string | null } = batch[batch.length - 1]!;
    after = { date: last.start_date!, id: last.id };
  }
  return { incidents, firings };
}

async function evaluateFact(trx: Executor, fact: Fact, rules: readonly AlertRule[]): Promise<number> {
  // One evaluation per network at a time, so two incidents verified together cannot both open the
  // same signal.
  await sql`select pg_advisory_xact_lock(hashtext(${`vigia.signals:${fact.network_id}`}))`.execute(trx);
  let fired = 0;
  for (const rule of rules) {
    for (const firing of await firingsOf(trx, fact, rule)) {
      if (await recordFiring(trx, firing)) fired += 1;
    }
  }
  return fired;
}

async function firingsOf(trx: Executor, fact: Fact, rule: AlertRule): Promise<Firing[]> {
  const base = { rule, networkId: fact.network_id, urgent: false };
  switch (rule.kind) {
    case 'spread': {
      const p = rule.parameters;
      if (!matchesSpreadFilters(fact, p)) return [];
      const from = addDays(fact.occurred_on, -(p.days - 1));
      let query = trx
        .selectFrom('alert_incident_facts')
        .select(['incident_id', 'state_code'])
        .where('network_id', '=', fact.network_id)
        .where('occurred_on', '>=', from)
        .where('occurred_on', '<=', fact.occurred_on);
      if (p.actTypes.length > 0) query = query.where('act_types', '&&', sql<string[]>`${p.actTypes}::text[]`);
      if (p.perpetratorTypes.length > 0) query = query.where('perpetrator_types', '&&', sql<string[]>`${p.perpetratorTypes}::text[]`);
      if (p.placeTypes.length > 0) query = query.where('place_type', 'in', p.placeTypes);
      const rows = await query.execute();
      const states = [...new Set(rows.map((r) => r.state_code))].sort();
      if (rows.length < p.minIncidents || states.length < p.minStates) return [];
      return [{ ...base, key: 'all', incidentIds: rows.map((r) => r.incident_id), figures: { kind: 'spread', incidents: rows.length, states, from, to: fact.occurred_on, days: p.days } }];
    }
    case 'escalation':
      return escalation(trx, fact, rule, rule.parameters);
    case 'repeat_targeting': {
      const p = rule.parameters;
      if (!fact.shelter_key) return [];
      const from = addDays(fact.occurred_on, -(p.days - 1));
      const rows = await trx
        .selectFrom('alert_incident_facts')
        .select(['incident_id', 'state_code'])
        .where('network_id', '=', fact.network_id)
        .where('shelter_key', '=', fact.shelter_key)
        .where('occurred_on', '>=', from)
        .where('occurred_on', '<=', fact.occurred_on)
        .execute();
      if (rows.length < p.minIncidents) return [];
      const shelterOrganizationId = fact.shelter_key.replace(/^org:/, '');
      const states = [...new Set(rows.map((r) => r.state_code))].sort();
      return [{ ...base, key: fact.shelter_key, incidentIds: rows.map((r) => r.incident_id), figures: { kind: 'repeat_targeting', incidents: rows.length, states, from, to: fact.occurred_on, days: p.days, shelterOrganizationId } }];
    }
    case 'outside_mandate':
      return rule.parameters.legalRuleIds
        .filter((id) => fact.legal_rule_ids.includes(id))
        .map((legalRuleId) => ({ ...base, key: legalRuleId, incidentIds: [fact.incident_id], figures: { kind: 'outside_mandate', incidents: 1, states: [fact.state_code], legalRuleId } }));
    case 'severity': {
      const p = rule.parameters;
      const grave = fact.act_types.filter((a) => p.actTypes.includes(a));
      const againstDefender = fact.victim_types.some((v) => p.defenderVictimTypes.includes(v));
      if (againstDefender) grave.push(...fact.act_types.filter((a) => p.defenderActTypes.includes(a)));
      if (grave.length === 0) return [];
      return [{ ...base, urgent: true, key: fact.incident_id, incidentIds: [fact.incident_id], figures: { kind: 'severity', incidents: 1, states: [fact.state_code], actTypes: [...new Set(grave)].sort(), addressees: p.addressees } }];
    }
  }
}

function matchesSpreadFilters(fact: Fact, p: SpreadParameters): boolean {
  return (
    (p.actTypes.length === 0 || fact.act_types.some((a) => p.actTypes.includes(a))) &&
    (p.perpetratorTypes.length === 0 || fact.perpetrator_types.some((a) => p.perpetratorTypes.includes(a))) &&
    (p.placeTypes.length === 0 || (fact.place_type !== null && p.placeTypes.includes(fact.place_type)))
  );
}

// The last D days (ending on the incident's day) against the average of the `previousPeriods` periods
// of D days before them, from the daily counts of the incident's state.
async function escalation(trx: Executor, fact: Fact, rule: AlertRule, p: EscalationParameters): Promise<Firing[]> {
  const currentFrom = addDays(fact.occurred_on, -(p.days - 1));
  const from = addDays(currentFrom, -p.days * p.previousPeriods);
  const sums = await trx
    .selectFrom('alert_daily_counts')
    .select([
      sql<number>`coalesce(sum(incidents) filter (where day >= ${currentFrom}::date), 0)`.as('current'),
      sql<number>`coalesce(sum(incidents) filter (where day < ${currentFrom}::date), 0)`.as('previous'),
    ])
    .where('network_id', '=', fact.network_id)
    .where('state_code', '=', fact.state_code)
    .where('day', '>=', from)
    .where('day', '<=', fact.occurred_on)
    .executeTakeFirstOrThrow();
  const current = Number(sums.current);
  const previousAverage = Number(sums.previous) / p.previousPeriods;
  if (current < p.minIncidents || current < p.factor * previousAverage) return [];
  const rows = await trx
    .selectFrom('alert_incident_facts')
    .select('incident_id')
    .where('network_id', '=', fact.network_id)
    .where('state_code', '=', fact.state_code)
    .where('occurred_on', '>=', currentFrom)
    .where('occurred_on', '<=', fact.occurred_on)
    .execute();
  return [
    {
      rule,
      networkId: fact.network_id,
      urgent: false,
      key: fact.state_code,
      incidentIds: rows.map((r) => r.incident_id),
      figures: { kind: 'escalation', incidents: current, states: [fact.state_code], from: currentFrom, to: fact.occurred_on, days: p.days, current, previousAverage: Math.round(previousAverage * 100) / 100 },
    },
  ];
}

/**
 * Opens a signal, or updates the open one with the same rule and key. A firing whose incidents were
 * all in a signal already dismissed or drafted is not raised again (a re-evaluation must not undo a
 * person's decision); one with new incidents is. Returns whether anything was written.
 */
async function recordFiring(trx: Executor, firing: Firing): Promise<boolean> {
  const { rule, networkId, key } = firing;
  const open = await trx
    .selectFrom('signals')
    .select(['id', 'incident_ids', 'figures'])
    .where('network_id', '=', networkId)
    .where('rule_id', '=', rule.id)
    .where('dedupe_key', '=', key)
    .where('status', '=', 'open')
    .forUpdate()
    .executeTakeFirst();
  if (open) {
    const merged = [...new Set([...open.incident_ids, ...firing.incidentIds])];
    const figures = mergedFigures(open.figures as SignalFigures, firing.figures, merged.length);
    if (merged.length === open.incident_ids.length && canonicalJson(open.figures) === canonicalJson(figures)) return false;
    await trx
      .updateTable('signals')
      .set({ incident_ids: merged, figures: JSON.stringify(figures), rule_version: rule.version, urgent: firing.urgent, last_fired_at: new Date() })
      .where('id', '=', open.id)
      .execute();
    await insertEvent(trx, { signalId: open.id, kind: 'updated', ruleVersion: rule.version, figures, incidentIds: merged });
    return true;
  }
  const closed = await trx
    .selectFrom('signals')
    .select('incident_ids')
    .where('network_id', '=', networkId)
    .where('rule_id', '=', rule.id)
    .where('dedupe_key', '=', key)
    .orderBy('last_fired_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (closed && firing.incidentIds.every((id) => closed.incident_ids.includes(id))) return false;
  const id = randomUUID();
  await trx
    .insertInto('signals')
    .values({
      id,
      network_id: networkId,
      rule_id: rule.id,
      rule_version: rule.version,
      dedupe_key: key,
      urgent: firing.urgent,
      figures: JSON.stringify(firing.figures),
      incident_ids: firing.incidentIds,
      alert_id: null,
      dismissal_reason: null,
      closed_by: null,
      closed_at: null,
    })
    .execute();
  await insertEvent(trx, { signalId: id, kind: 'fired', ruleVersion: rule.version, figures: firing.figures, incidentIds: firing.incidentIds });
  return true;
}

// An open signal's count and states cover every incident it gathered, not only the last window's;
// an escalation speaks of its last period.
function mergedFigures(before: SignalFigures, now: SignalFigures, incidents: number): SignalFigures {
  if (now.kind === 'escalation') return now;
  return { ...now, incidents: Math.max(now.incidents, incidents), states: [...new Set([...before.states, ...now.states])].sort() };
}

export async function insertEvent(
  trx: Executor,
  event: { signalId: string; kind: 'fired' | 'updated' | 'dismissed' | 'drafted'; ruleVersion: number; figures: unknown; incidentIds: string[]; actorId?: string | null },
): Promise<void> {
  await trx
    .insertInto('signal_events')
    .values({
      signal_id: event.signalId,
      kind: event.kind,
      rule_version: event.ruleVersion,
      figures: JSON.stringify(event.figures),
      incident_ids: event.incidentIds,
      actor_id: event.actorId ?? null,
    })
    .execute();
}

