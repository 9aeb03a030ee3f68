import { enqueueOrganizationEvaluation } from '../alerts/rules.jobs.js';
import { appendAudit } from '../audit/audit-log.js';
import { AppError } from '../server/errors.js';
import type { NetworkMemberOptions } from './add-network-member.js';
import { authorizeNetworkChange } from './network-member-access.js';
import { auditSource } from './organization-access.js';

/**
 * Takes an organization out of a network (instance administrators and the network's administrators),
 * audited as 'network.member_removed'; 404 when it is not a member.
 */
export async function removeNetworkMember(options: NetworkMemberOptions): Promise<void> {
  const { database, actor, networkId, organizationId } = options;
  await database.transaction(async (trx) => {
    await authorizeNetworkChange(trx, actor, networkId, organizationId);
    const removed = await trx
      .deleteFrom('network_members')
      .where('network_id', '=', networkId)
      .where('organization_id', '=', organizationId)
      .returning('organization_id')
      .executeTakeFirst();
    if (!removed) {
      throw new AppError('NOT_FOUND', 'That organization is not a member of this network.', { networkId, organizationId });
    }
    // Its incidents now reach (or no longer reach) the network: the early-warning rules look again.
    await enqueueOrganizationEvaluation(trx, organizationId);
    await appendAudit(trx, {
      ...auditSource(actor, options.context),
      organizationId: networkId,
      action: 'network.member_removed',
      subjectType: 'organization',
      subjectId: organizationId,
      details: { networkId, organizationId },
    });
  });
}
