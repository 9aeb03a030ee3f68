import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Actor } from '../policies/actor.js';

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
 * The one place where what follows a publication starts, inside the publishing transaction: the
 * subscription and webhook work (distributePublishedAlert) and the tracked requests to the addressees are
 * wired in here as outbox jobs, so a publication and its consequences commit or roll back together.
 * For now nothing follows.
 */
export async function afterAlertPublished(_trx: Transaction<DB>, _event: AlertPublishedEvent): Promise<void> {
  // Intentionally empty until the distribution work is merged (see docs/alerts-drafting.md).
}
