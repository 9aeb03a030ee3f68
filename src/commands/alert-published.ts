import type { Transaction } from 'kysely';
import type { Keyring } from '../crypto/keyring.js';
import type { DB } from '../db/schema.js';
import type { JobRegistry } from '../jobs/registry.js';
import type { Actor } from '../policies/actor.js';
import type { Config } from '../server/config.js';
import { distributePublishedAlert, type Distribution } from './distribute-alert.js';

/** What happened: a first publication, or a correction that replaced the public text. */
export interface AlertPublishedEvent {
  alertId: string;
  networkId: string;
  /** The version now public. */
  version: number;
  correction: boolean;
  actor: Actor;
}

/**
 * What the consequences of a publication need besides the application's keyring (which the publishing
 * command already holds and passes along): the configuration (links, due dates) and the job kinds.
 */
export interface DistributionDependencies {
  config: Config;
  jobs: JobRegistry;
}

/**
 * The one place where what follows a publication starts, inside the publishing transaction: e-mails to
 * matching subscribers, signed webhook deliveries and, on first publication, the tracked requests to the
 * addressees (distributePublishedAlert) — all outbox rows, so a publication and its consequences commit
 * or roll back together.
 */
export async function afterAlertPublished(
  trx: Transaction<DB>,
  event: AlertPublishedEvent,
  deps: DistributionDependencies & { keyring: Keyring },
): Promise<Distribution> {
  return distributePublishedAlert(
    trx,
    { alertId: event.alertId, networkId: event.networkId, version: event.version, correction: event.correction },
    deps,
  );
}
