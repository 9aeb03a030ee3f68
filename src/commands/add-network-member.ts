import type { Database } from '../db/client.js';
import { enqueueOrganizationEvaluation } from '../alerts/rules.jobs.js';
import { appendAudit } from '../audit/audit-log.js';
import type { Actor } from '../policies/actor.js';
import { auditSource, type RequestContext } from './organization-access.js';
import { authorizeNetworkChange } from './network-member-access.js';

/** What `addNetworkMember` needs. */
export interface NetworkMemberOptions {
  database: Database;
  actor: Actor;
  networkId: string;
  organizationId: string;
  context?: RequestContext;
}

/**
 * Makes an organization a member of a network (instance administrators and the network's
 * administrators), audited as 'network.member_added'. Adding a member already there changes nothing.
 * Membership alone shares nothing: each record is shared with a network explicitly.
 */
export async function addNetworkMember(options: NetworkMemberOptions): Promise<{ changed: boolean }> {
  const { database, actor, networkId, organizationId } = options;
  return database.transaction(async (trx) => {
    await authorizeNetworkChange(trx, actor, networkId, organizationId);
    const inserted = await trx
      .insertInto('network_members')
      .values({ network_id: networkId, organization_id: organizationId })
      .onConflict((oc) => oc.columns(['network_id', 'organization_id']).doNothing())
      .returning('organization_id')
      .executeTakeFirst();
    if (!inserted) return { changed: false };
    // Its incidents now reach (or no longer reach) the network: the early-warning rules look again.
    await enqueueOrganizationEvaluation(trx, organizationId);
    await appendAudit(trx, {
      ...auditSource(actor, options.context),
      organizationId: networkId,
      action: 'network.member_added',
      subjectType: 'organization',
      subjectId: organizationId,
      details: { networkId, organizationId },
    });
    return { changed: true };
  });
}
