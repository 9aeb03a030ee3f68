import { sql } from 'kysely';
import { expect, it } from 'vitest';
import type { Database } from '../db/client.js';
import { describeEachEngine } from '../../test/db.js';
import { insertOrganization, insertUser, userActor } from '../../test/organizations.js';
import { addNetworkMember } from '../commands/add-network-member.js';
import { removeNetworkMember } from '../commands/remove-network-member.js';
import { RULES_EVALUATE_ORGANIZATION_JOB_KIND } from './rules.jobs.js';
import { insertNetworkWithShelters, insertVerifiedIncident } from '../../test/signals.js';
import { evaluateAll, evaluateIncident } from './evaluate.js';
import { dismissSignal, listNetworkSignals, readSignal } from './signals.js';

const STATES = ['26', '07', '05', '08', '28', '30'];

async function verified(database: Database, values: Parameters<typeof insertVerifiedIncident>[1]): Promise<string> {
  const id = await insertVerifiedIncident(database, values);
  await evaluateIncident(database, id);
  return id;
}

async function signalsOf(database: Database, networkId: string, ruleId: string) {
  return database.db.selectFrom('signals').selectAll().where('network_id', '=', networkId).where('rule_id', '=', ruleId).execute();
}

describeEachEngine('early-warning evaluation', (getDatabase) => {
  it('spread fires at 5 incidents in 5 states within 60 days, not at 4 states, not outside the window', async () => {
    const database = getDatabase();
    const { networkId, shelterIds } = await insertNetworkWithShelters(database, 5);
    // Outside the 60-day window of the last one: counts for nothing.
    await verified(database, { organizationId: shelterIds[4]!, stateCode: STATES[4]!, date: '2019-04-01' });
    for (let i = 0; i < 4; i++) await verified(database, { organizationId: shelterIds[i]!, stateCode: STATES[i]!, date: `2019-06-0${i + 1}` });
    expect(await signalsOf(database, networkId, 'spread-five-states')).toHaveLength(0);
    // A fifth incident in a state already counted: still four states.
    await verified(database, { organizationId: shelterIds[0]!, stateCode: STATES[0]!, date: '2019-06-05' });
    expect(await signalsOf(database, networkId, 'spread-five-states')).toHaveLength(0);
    const fifth = await verified(database, { organizationId: shelterIds[4]!, stateCode: STATES[4]!, date: '2019-05-31' });
    // Its window ends on its own day: it sees itself and the April one, two states; the next one sees all.
    const last = await verified(database, { organizationId: shelterIds[4]!, stateCode: STATES[4]!, date: '2019-06-10' });
    const [signal] = await signalsOf(database, networkId, 'spread-five-states');
    expect(signal).toMatchObject({ status: 'open', dedupe_key: 'all', urgent: false });
    expect(signal!.figures).toMatchObject({ kind: 'spread', states: [...STATES.slice(0, 5)].sort(), from: '2019-04-12', to: '2019-06-10' });
    expect(signal!.incident_ids).toContain(last);
    expect(signal!.incident_ids).toContain(fifth);
  });

  it('an open signal is updated, never duplicated, and each firing keeps its incidents', async () => {
    const database = getDatabase();
    const { networkId, shelterIds } = await insertNetworkWithShelters(database, 1);
    const ids: string[] = [];
    for (let i = 1; i <= 4; i++) ids.push(await verified(database, { organizationId: shelterIds[0]!, stateCode: '07', date: `2019-06-1${i}` }));
    const signals = await signalsOf(database, networkId, 'repeat-targeting');
    expect(signals).toHaveLength(1);
    expect(new Set(signals[0]!.incident_ids)).toEqual(new Set(ids));
    expect(signals[0]!.figures).toMatchObject({ incidents: 4, shelterOrganizationId: shelterIds[0] });
    const events = await database.db.selectFrom('signal_events').select(['kind', 'incident_ids']).where('signal_id', '=', signals[0]!.id).orderBy('id').execute();
    expect(events.map((e) => e.kind)).toEqual(['fired', 'updated']);
    expect(events[0]!.incident_ids).toHaveLength(3);
    // Evaluating the same incident again changes nothing.
    await evaluateIncident(database, ids[3]!);
    expect(await database.db.selectFrom('signal_events').select('id').where('signal_id', '=', signals[0]!.id).execute()).toHaveLength(2);
  });

  it('repeat targeting needs 3 incidents at the same shelter within 90 days', async () => {
    const database = getDatabase();
    const { networkId, shelterIds } = await insertNetworkWithShelters(database, 2);
    await verified(database, { organizationId: shelterIds[0]!, stateCode: '07', date: '2019-01-01' });
    await verified(database, { organizationId: shelterIds[0]!, stateCode: '07', date: '2019-03-01' });
    await verified(database, { organizationId: shelterIds[1]!, stateCode: '07', date: '2019-03-02' });
    // 91 days after the first: only two in its window.
    await verified(database, { organizationId: shelterIds[0]!, stateCode: '07', date: '2019-04-02' });
    expect(await signalsOf(database, networkId, 'repeat-targeting')).toHaveLength(0);
    await verified(database, { organizationId: shelterIds[0]!, stateCode: '07', date: '2019-04-03' });
    expect(await signalsOf(database, networkId, 'repeat-targeting')).toHaveLength(1);
  });

  it('escalation compares the last 30 days with the average of the three periods before', async () => {
    const database = getDatabase();
    const { networkId, shelterIds } = await insertNetworkWithShelters(database, 1);
    const org = shelterIds[0]!;
    // Previous periods: 3 incidents in 90 days, an average of 1; then 2 in the last 30 days: below M = 3.
    for (const date of ['2020-01-10', '2020-02-10', '2020-03-10', '2020-04-20', '2020-04-21']) {
      await verified(database, { organizationId: org, stateCode: '28', date, placeType: 'ROAD' });
    }
    expect(await signalsOf(database, networkId, 'escalation-state')).toHaveLength(0);
    await verified(database, { organizationId: org, stateCode: '28', date: '2020-04-22', placeType: 'ROAD' });
    const [signal] = await signalsOf(database, networkId, 'escalation-state');
    expect(signal).toMatchObject({ dedupe_key: '28' });
    expect(signal!.figures).toMatchObject({ current: 3, previousAverage: 1 });
  });

  it('escalation does not fire when the last period is under factor × the average', async () => {
    const database = getDatabase();
    const { networkId, shelterIds } = await insertNetworkWithShelters(database, 1);
    const org = shelterIds[0]!;
    // Previous periods average 2 (6 in 90 days, never 3 within 30); 3 in the last period is under 2 × 2.
    for (const date of ['2021-01-01', '2021-01-02', '2021-02-10', '2021-02-11', '2021-03-22', '2021-03-23', '2021-04-28', '2021-04-29', '2021-04-30']) {
      await verified(database, { organizationId: org, stateCode: '30', date, placeType: 'ROAD' });
    }
    expect(await signalsOf(database, networkId, 'escalation-state')).toHaveLength(0);
  });

  it('outside the mandate is flagged at once, per legal rule; severity is urgent for its addressees', async () => {
    const database = getDatabase();
    const { networkId, shelterIds } = await insertNetworkWithShelters(database, 1);
    await verified(database, { organizationId: shelterIds[0]!, stateCode: '26', date: '2019-06-27', legalRuleIds: ['R11'] });
    await verified(database, { organizationId: shelterIds[0]!, stateCode: '26', date: '2019-06-27', actTypes: ['DISAPPEARANCE'], victimTypes: ['MIGRANT'] });
    expect(await signalsOf(database, networkId, 'outside-mandate')).toHaveLength(0);
    expect(await signalsOf(database, networkId, 'severity')).toHaveLength(0);
    const a = await verified(database, { organizationId: shelterIds[0]!, stateCode: '26', date: '2019-06-27', legalRuleIds: ['R1', 'R3'] });
    const b = await verified(database, { organizationId: shelterIds[0]!, stateCode: '26', date: '2019-06-28', actTypes: ['KILLING'], victimTypes: ['HUMAN_RIGHTS_DEFENDER'] });
    const outside = await signalsOf(database, networkId, 'outside-mandate');
    expect(outside.map((s) => s.dedupe_key).sort()).toEqual(['R1', 'R3']);
    expect(outside[0]!.incident_ids).toEqual([a]);
    const [severe] = await signalsOf(database, networkId, 'severity');
    expect(severe).toMatchObject({ urgent: true, incident_ids: [b] });
    expect(severe!.figures).toMatchObject({ actTypes: ['KILLING'], addressees: ['MECANISMO', 'CNDH'] });
  });

  it('an incident that stops being verified leaves the rollups; a dismissed signal is not raised again', async () => {
    const database = getDatabase();
    const { networkId, shelterIds } = await insertNetworkWithShelters(database, 1);
    const id = await verified(database, { organizationId: shelterIds[0]!, stateCode: '05', date: '2019-07-01', actTypes: ['DEATH_THREAT'] });
    expect(await database.db.selectFrom('alert_daily_counts').select('incidents').where('network_id', '=', networkId).execute()).toEqual([{ incidents: 1 }]);
    const [severe] = await signalsOf(database, networkId, 'severity');
    const reviewer = await insertUser(database, { memberships: { [networkId]: ['reviewer'] } });
    const actor = userActor(reviewer, { [networkId]: ['reviewer'] });
    await dismissSignal({ database, actor, signalId: severe!.id, reason: 'Ya atendido por el Mecanismo' });
    await evaluateAll(database);
    expect(await signalsOf(database, networkId, 'severity')).toHaveLength(1);

    await database.db.updateTable('incidents').set({ status: 'in_review' }).where('id', '=', id).execute();
    await evaluateIncident(database, id);
    expect(await database.db.selectFrom('alert_incident_facts').select('incident_id').where('incident_id', '=', id).execute()).toEqual([]);
    expect(await database.db.selectFrom('alert_daily_counts').select('incidents').where('network_id', '=', networkId).execute()).toEqual([]);
  });

  it("a shelter joining a network brings its incidents to the network's rules; leaving takes them out", async () => {
    const database = getDatabase();
    const network = await insertOrganization(database, { kind: 'network' });
    const shelter = await insertOrganization(database);
    const admin = await insertUser(database, { isInstanceAdmin: true });
    const actor = userActor(admin, {}, { isInstanceAdmin: true, mfaVerified: true });
    // Three incidents at one shelter within 90 days, recorded before it joined: no network sees them.
    const ids: string[] = [];
    for (let i = 1; i <= 3; i++) ids.push(await verified(database, { organizationId: shelter.id, stateCode: '07', date: `2019-06-1${i}` }));
    expect(await signalsOf(database, network.id, 'repeat-targeting')).toHaveLength(0);
    const factsFor = () => database.db.selectFrom('alert_incident_facts').select('incident_id').where('network_id', '=', network.id).execute();
    const evaluationJobs = () =>
      database.db.selectFrom('outbox_jobs').select('payload').where('kind', '=', RULES_EVALUATE_ORGANIZATION_JOB_KIND).where(sql<boolean>`payload->>'organizationId' = ${shelter.id}`).execute();

    // Joining writes the evaluation job in the same transaction; running it raises the network's signal.
    await addNetworkMember({ database, actor, networkId: network.id, organizationId: shelter.id });
    expect(await evaluationJobs()).toHaveLength(1);
    expect(await evaluateAll(database, { organizationId: shelter.id })).toMatchObject({ incidents: 3 });
    expect((await factsFor()).map((f) => f.incident_id).sort()).toEqual([...ids].sort());
    const [signal] = await signalsOf(database, network.id, 'repeat-targeting');
    expect(new Set(signal!.incident_ids)).toEqual(new Set(ids));

    // Leaving writes another; running it takes the incidents out of the network's rollups.
    await removeNetworkMember({ database, actor, networkId: network.id, organizationId: shelter.id });
    expect(await evaluationJobs()).toHaveLength(2);
    await evaluateAll(database, { organizationId: shelter.id });
    expect(await factsFor()).toEqual([]);
  });

  it('signals are seen by the network documenters and reviewers only', async () => {
    const database = getDatabase();
    const { networkId, shelterIds } = await insertNetworkWithShelters(database, 1);
    await verified(database, { organizationId: shelterIds[0]!, stateCode: '05', date: '2019-07-01', actTypes: ['DEATH_THREAT'] });
    const documenter = userActor(await insertUser(database), { [networkId]: ['documenter'] });
    const [signal] = await listNetworkSignals(database.db, { actor: documenter, networkId });
    expect(signal).toMatchObject({ ruleId: 'severity', urgent: true, status: 'open' });
    expect((await readSignal(database.db, { actor: documenter, signalId: signal!.id })).incidentIds).toHaveLength(1);
    for (const outsider of [
      userActor(await insertUser(database), { [networkId]: ['reporter', 'administrator'] }),
      userActor(await insertUser(database), { [shelterIds[0]!]: ['documenter', 'reviewer'] }),
      userActor(await insertUser(database), {}, { isInstanceAdmin: true }),
    ]) {
      await expect(readSignal(database.db, { actor: outsider, signalId: signal!.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(listNetworkSignals(database.db, { actor: outsider, networkId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
  });
});
