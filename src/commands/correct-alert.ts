import type { Keyring } from '../crypto/keyring.js';
import type { Database } from '../db/client.js';
import type { AlertContent } from '../domain/alert.js';
import type { Actor } from '../policies/actor.js';
import { AppError } from '../server/errors.js';
import { assertStatus, authorizeAlert, writeAlertChange, type AlertRow } from './alert-access.js';
import { afterAlertPublished, type DistributionDependencies } from './alert-published.js';
import { assertNoHarm, doNoHarmFindings } from './check-alert.js';
import type { RequestContext } from './organization-access.js';

/**
 * Corrects a published alert: a new public version with a correction note the public sees, checked like
 * a first publication. The address stays the same.
 */
export async function correctAlert(options: {
  database: Database;
  keyring: Keyring;
  /** The configuration (its small-number threshold for the check) and the job kinds the correction queues. */
  distribution: DistributionDependencies;
  actor: Actor;
  alertId: string;
  content: AlertContent;
  note: string;
  context?: RequestContext;
}): Promise<AlertRow> {
  const note = options.note.trim();
  if (!note) {
    throw new AppError('VALIDATION_FAILED', 'Invalid body: note: must say, for the public, what was corrected', [
      { location: 'body', field: 'note', message: 'must say, for the public, what was corrected' },
    ]);
  }
  return options.database.transaction(async (trx) => {
    const alert = await authorizeAlert(trx, options.actor, 'correct', options.alertId, { forUpdate: true });
    assertStatus(alert, ['published'], 'corrected');
    assertNoHarm(await doNoHarmFindings(trx, options.keyring, alert, options.content, options.distribution.config.smallNumberThreshold));
    const row = await writeAlertChange(trx, alert, { kind: 'corrected', status: 'published', content: options.content, note, publish: true, actor: options.actor, context: options.context });
    await afterAlertPublished(trx, { alertId: row.id, networkId: row.network_id, version: row.version, correction: true, actor: options.actor }, { ...options.distribution, keyring: options.keyring });
    return row;
  });
}
