import { approveAlert } from '../commands/approve-alert.js';
import type { AlertRow } from '../commands/alert-access.js';
import { createAlertDraft } from '../commands/create-alert-draft.js';
import { publishAlert } from '../commands/publish-alert.js';
import { submitAlertForReview } from '../commands/submit-alert-for-review.js';
import type { Keyring } from '../crypto/keyring.js';
import type { Database } from '../db/client.js';
import type { Actor } from '../policies/actor.js';
import type { Config } from '../server/config.js';
import { createJobRegistry } from '../jobs/run.js';

/**
 * For the demo seed: a published alert in one call, through the same commands people use (drafted from
 * verified incidents, sent for review, approved by as many of `reviewers` as the configuration asks,
 * published after the do-no-harm check), so the demo shows exactly what the product would produce.
 */
export async function draftApproveAndPublishAlert(options: {
  database: Database;
  keyring: Keyring;
  config: Config;
  networkId: string;
  incidentIds: readonly string[];
  /** A documenter or reviewer of the network. */
  author: Actor;
  /** Reviewers of the network other than the author: the first `approvalsRequired` approve, the first publishes. */
  reviewers: readonly Actor[];
}): Promise<AlertRow> {
  const { database, keyring, config } = options;
  const threshold = config.smallNumberThreshold;
  const required = config.alerts.approvalsRequired;
  if (options.reviewers.length < required) throw new Error(`The demo alert needs ${required} reviewers other than its author.`);
  const draft = await createAlertDraft({ database, keyring, smallNumberThreshold: threshold, actor: options.author, networkId: options.networkId, incidentIds: options.incidentIds });
  await submitAlertForReview({ database, actor: options.author, alertId: draft.id });
  for (const reviewer of options.reviewers.slice(0, required)) {
    await approveAlert({ database, approvalsRequired: required, actor: reviewer, alertId: draft.id });
  }
  return publishAlert({ database, keyring, distribution: { config, jobs: createJobRegistry(config) }, actor: options.reviewers[0]!, alertId: draft.id });
}
