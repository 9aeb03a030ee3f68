import type { Kysely } from 'kysely';
import type { Keyring } from '../crypto/keyring.js';
import type { DB } from '../db/schema.js';
import { classifyContact, redactText, type SealedValues } from '../domain/alerts/do-no-harm.js';
import type { DraftIncidentFacts } from '../domain/alerts/draft.js';
import type { IncidentDocument, IncidentSensitive } from '../domain/incident.js';
import type { Actor } from '../policies/actor.js';
import { canSeeIncident } from '../policies/incident.policy.js';
import { AppError } from '../server/errors.js';
import { incidentSubject, type IncidentRow } from './incident-access.js';
import { isUuid } from './organization-access.js';

/**
 * What alert commands read from incidents: which ones an alert may speak of, their facts for drafting,
 * and their sealed values for the do-no-harm check. Sealed values are opened here, on the server, only to
 * be compared with the alert's text: they are never returned, logged or written anywhere.
 */

/** The mark that replaces a sealed value in an illustrative case. */
export const REDACTION_MARK = { es: '[dato reservado]', en: '[withheld]' } as const;

/**
 * The incidents an alert of `networkId` may include, in the order asked: verified, visible to the actor,
 * and the network's own or shared with it by a member. Anything else is refused by position, with one
 * message for "missing" and "not visible", so a refusal never reveals that someone else's record exists.
 */
export async function loadAlertIncidents(db: Kysely<DB>, actor: Actor, networkId: string, incidentIds: readonly string[]): Promise<IncidentRow[]> {
  const ids = incidentIds.filter(isUuid);
  const rows = ids.length ? await db.selectFrom('incidents').selectAll().where('id', 'in', ids).execute() : [];
  const problems: { location: 'body'; field: string; message: string }[] = [];
  const result: IncidentRow[] = [];
  for (const [index, id] of incidentIds.entries()) {
    const row = rows.find((r) => r.id === id);
    const subject = row ? await incidentSubject(db, row) : null;
    const inNetwork = subject && (subject.organizationId === networkId || (subject.sharedWithNetworks && subject.networkIds.includes(networkId)));
    if (!row || !subject || !inNetwork || !canSeeIncident(actor, subject)) {
      problems.push({ location: 'body', field: `incidentIds[${index}]`, message: `names no incident shared with this network ("${id}")` });
    } else if (row.status !== 'verified' || row.archived_at) {
      problems.push({ location: 'body', field: `incidentIds[${index}]`, message: `is not a verified incident (${row.reference} is ${row.archived_at ? 'archived' : row.status.replace('_', ' ')})` });
    } else {
      result.push(row);
    }
  }
  if (problems.length) {
    throw new AppError('VALIDATION_FAILED', `Invalid body: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`, problems);
  }
  return result;
}

/** The sealed values of the incidents, sorted by what they are (opened with each organization's key). */
export async function sealedValuesOf(db: Kysely<DB>, keyring: Keyring, incidents: readonly Pick<IncidentRow, 'id' | 'organization_id' | 'sealed'>[]): Promise<SealedValues> {
  const values: SealedValues = { names: [], phones: [], emails: [], addresses: [], coordinates: [] };
  for (const incident of incidents) {
    if (!incident.sealed) continue;
    const sensitive = await keyring.openJson<IncidentSensitive>(db, incident.organization_id, `incident:${incident.id}`, incident.sealed);
    if (sensitive.coordinates) values.coordinates.push(sensitive.coordinates);
    for (const victim of Object.values(sensitive.victims)) values.names.push(victim.name);
    for (const source of Object.values(sensitive.sources)) {
      if (source.name) values.names.push(source.name);
      if (source.contact) values[`${classifyContact(source.contact)}s` as 'phones' | 'emails' | 'addresses'].push(source.contact);
    }
  }
  return values;
}

/** Names of the places a figure could be about: every state, and the municipalities of the incidents. */
export async function placeNamesOf(db: Kysely<DB>, incidents: readonly Pick<IncidentRow, 'municipality_code'>[]): Promise<string[]> {
  const states = await db.selectFrom('ref_states').select('name').execute();
  const cvegeos = [...new Set(incidents.map((i) => i.municipality_code).filter((c): c is string => c !== null))];
  const municipalities = cvegeos.length ? await db.selectFrom('ref_municipalities').select('name').where('cvegeo', 'in', cvegeos).execute() : [];
  return [...states.map((s) => s.name), ...municipalities.map((m) => m.name)];
}

/** State names by INEGI code. */
export async function stateNames(db: Kysely<DB>): Promise<Record<string, string>> {
  const rows = await db.selectFrom('ref_states').select(['code', 'name']).execute();
  return Object.fromEntries(rows.map((r) => [r.code, r.name]));
}

/**
 * The facts drafting needs. A case is told only from incidents whose reporters agreed to publication
 * (`may_publish`), from the open narrative with the sealed values taken out.
 */
export function draftFactsOf(incidents: readonly IncidentRow[], sealed: Map<string, SealedValues>): DraftIncidentFacts[] {
  return incidents.map((row) => {
    const document = row.document as IncidentDocument;
    const narrative = document.narrative?.trim() ?? '';
    const language = document.narrativeLanguage ?? 'es';
    const caseText =
      row.may_publish && narrative
        ? { language, text: redactText(narrative, sealed.get(row.id) ?? { names: [], phones: [], emails: [], addresses: [], coordinates: [] }, REDACTION_MARK[language]) }
        : null;
    return {
      id: row.id,
      stateCode: row.state_code ?? document.place.stateCode,
      startDate: row.start_date ?? document.startDate.date,
      datePrecision: row.date_precision ?? document.startDate.precision,
      endDate: row.end_date,
      actTypes: row.act_types,
      perpetratorTypes: row.perpetrator_types,
      victimTypes: row.victim_types,
      legalRuleIds: row.legal_rule_ids,
      caseText,
    };
  });
}
