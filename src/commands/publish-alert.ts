import type { Keyring } from '../crypto/keyring.js';
import type { Database } from '../db/client.js';
import { alertSlug } from '../domain/alerts/slug.js';
import type { Actor } from '../policies/actor.js';
import { assertStatus, authorizeAlert, contentOf, writeAlertChange, type AlertRow } from './alert-access.js';
import { afterAlertPublished, type DistributionDependencies } from './alert-published.js';
import { assertNoHarm, doNoHarmFindings } from './check-alert.js';
import type { RequestContext } from './organization-access.js';

/**
 * Publishes an approved alert: the do-no-harm check runs again on the exact text (and refuses with its
 * findings), the slug is fixed from the Spanish title, and what follows a publication starts in the same
 * transaction.
 */
export async function publishAlert(options: {
  database: Database;
  keyring: Keyring;
  /** The configuration (its small-number threshold for the check) and the job kinds the publication queues. */
  distribution: DistributionDependencies;
  actor: Actor;
  alertId: string;
  context?: RequestContext;
}): Promise<AlertRow> {
  return options.database.transaction(async (trx) => {
    const alert = await authorizeAlert(trx, options.actor, 'publish', options.alertId, { forUpdate: true });
    assertStatus(alert, ['approved'], 'published (it needs its approvals first)');
    const content = contentOf(alert);
    assertNoHarm(await doNoHarmFindings(trx, options.keyring, alert, content, options.distribution.config.smallNumberThreshold));
    const candidates = await trx.selectFrom('alerts').select('slug').where('slug', 'is not', null).execute();
    const used = new Set(candidates.map((c) => c.slug));
    const slug = alert.slug ?? alertSlug(content.es.title, (s) => used.has(s));
    const row = await writeAlertChange(trx, alert, {
      kind: 'published',
      status: 'published',
      publish: true,
      set: { slug, published_at: new Date() },
      actor: options.actor,
      context: options.context,
    });
    await afterAlertPublished(trx, { alertId: row.id, networkId: row.network_id, version: row.version, correction: false, actor: options.actor }, { ...options.distribution, keyring: options.keyring });
    return row;
  });
}
