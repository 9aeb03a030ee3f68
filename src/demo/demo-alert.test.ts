import { expect, it } from 'vitest';
import { alertNetwork } from '../../test/alert-drafting.js';
import { testConfig, testKeyring } from '../../test/config.js';
import { describeEachEngine } from '../../test/db.js';
import { draftApproveAndPublishAlert } from './demo-alert.js';

describeEachEngine('demo alert', (getDatabase) => {
  it('publishes an alert from verified incidents in one call, through the commands', async () => {
    const database = getDatabase();
    const keyring = testKeyring();
    const net = await alertNetwork(database, keyring);
    const incidents = [await net.verifiedIncident(), await net.verifiedIncident({ place: { stateCode: '05', municipalityCode: '05030', placeType: 'MIGRANT_SHELTER' } })];
    const alert = await draftApproveAndPublishAlert({
      database,
      keyring,
      config: testConfig(),
      networkId: net.networkId,
      incidentIds: incidents.map((i) => i.id),
      author: net.documenter,
      reviewers: net.reviewers,
    });
    expect(alert).toMatchObject({ status: 'published', published_version: alert.version, slug: expect.any(String) });
  });
});
