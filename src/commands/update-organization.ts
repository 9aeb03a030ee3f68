import type { Database } from '../db/client.js';
import type { OrganizationRow } from '../db/repositories/organization.repository.js';
import { appendAudit } from '../audit/audit-log.js';
import type { Actor } from '../policies/actor.js';
import { auditSource, authorizeOrganization, type RequestContext } from './organization-access.js';

/** What `updateOrganization` needs; fields left undefined stay as they are. */
export interface UpdateOrganizationOptions {
  database: Database;
  actor: Actor;
  organizationId: string;
  name?: string;
  shareWithNetworksByDefault?: boolean;
  context?: RequestContext;
}

/** Changes an organization's settings (its administrators), audited as 'organization.updated' with the fields changed. */
export async function updateOrganization(options: UpdateOrganizationOptions): Promise<OrganizationRow> {
  const { database, actor, organizationId, name, shareWithNetworksByDefault } = options;
  return database.transaction(async (trx) => {
    const current = await authorizeOrganization(trx, actor, 'update', organizationId);
    const changes: { name?: string; share_with_networks_by_default?: boolean } = {};
    if (name !== undefined && name !== current.name) changes.name = name;
    if (shareWithNetworksByDefault !== undefined && shareWithNetworksByDefault !== current.share_with_networks_by_default) {
      changes.share_with_networks_by_default = shareWithNetworksByDefault;
    }
    const fields = Object.keys(changes);
    if (fields.length === 0) return current;
    const updated = await trx
      .updateTable('organizations')
      .set(changes)
      .where('id', '=', organizationId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      ...auditSource(actor, options.context),
      organizationId,
      action: 'organization.updated',
      subjectType: 'organization',
      subjectId: organizationId,
      // The field names only: a name is typed text and an audit entry can never be taken back.
      details: { fields, shareWithNetworksByDefault: updated.share_with_networks_by_default },
    });
    return updated;
  });
}
