import { expect, it } from 'vitest';
import { evaluateIncident } from '../alerts/evaluate.js';
import { describeEachEngine } from '../../test/db.js';
import { testKeyring } from '../../test/config.js';
import { insertUser, userActor } from '../../test/organizations.js';
import { insertNetworkWithShelters, insertVerifiedIncident } from '../../test/signals.js';
import { incidentDocumentSchema, splitSensitive } from '../domain/incident.js';
import { AppError } from '../server/errors.js';
import { aguaPrietaDocument } from '../../test/incidents.js';
import { createAlertDraft } from './create-alert-draft.js';

describeEachEngine('drafting an alert from a signal', (getDatabase) => {
  it("drafts from the signal's incidents, marks the signal drafted, and refuses a second draft from it", async () => {
    const database = getDatabase();
    const { networkId, shelterIds } = await insertNetworkWithShelters(database, 1);
    const ids: string[] = [];
    for (const date of ['2019-06-11', '2019-06-12', '2019-06-13']) {
      const id = await insertVerifiedIncident(database, { organizationId: shelterIds[0]!, stateCode: '07', date });
      await evaluateIncident(database, id);
      ids.push(id);
    }
    // The rules read the plain columns; drafting reads the record itself: give each a whole open document.
    const open = splitSensitive(incidentDocumentSchema.parse(aguaPrietaDocument({ place: { stateCode: '07', municipalityCode: '07089', placeType: 'MIGRANT_SHELTER' } }))).open;
    await database.db.updateTable('incidents').set({ document: JSON.stringify(open) }).where('id', 'in', ids).execute();
    const signal = await database.db.selectFrom('signals').selectAll().where('network_id', '=', networkId).where('rule_id', '=', 'repeat-targeting').executeTakeFirstOrThrow();
    const documenterId = await insertUser(database, { memberships: { [networkId]: ['documenter'] } });
    const actor = userActor(documenterId, { [networkId]: ['documenter'] });
    const options = { database, keyring: testKeyring(), smallNumberThreshold: 3, actor, networkId, incidentIds: [], signalId: signal.id };

    const alert = await createAlertDraft(options);
    expect(new Set(alert.incident_ids)).toEqual(new Set(ids));
    expect(alert.signal_id).toBe(signal.id);
    const after = await database.db.selectFrom('signals').select(['status', 'alert_id']).where('id', '=', signal.id).executeTakeFirstOrThrow();
    expect(after).toEqual({ status: 'drafted', alert_id: alert.id });

    const again = await createAlertDraft(options).catch((error: unknown) => error);
    expect(again).toBeInstanceOf(AppError);
    expect((again as AppError).code).toBe('CONFLICT');
    // Nothing of the refused draft was kept.
    expect(await database.db.selectFrom('alerts').select('id').where('network_id', '=', networkId).execute()).toHaveLength(1);

    // Someone outside the network learns nothing about the signal.
    const outsider = userActor(await insertUser(database), {});
    const hidden = await createAlertDraft({ ...options, actor: outsider }).catch((error: unknown) => error);
    expect((hidden as AppError).code).toBe('NOT_FOUND');
  });
});
