import type { Database } from '../db/client.js';
import type { OrganizationKind } from '../db/schema.js';
import type { OrganizationRow } from '../db/repositories/organization.repository.js';
import { appendAudit } from '../audit/audit-log.js';
import type { Actor } from '../policies/actor.js';
import { canCreateOrganization } from '../policies/organization.policy.js';
import { AppError } from '../server/errors.js';
import { auditSource, type RequestContext } from './organization-access.js';

/** What `createOrganization` needs. */
export interface CreateOrganizationOptions {
  database: Database;
  actor: Actor;
  slug: string;
  name: string;
  kind: OrganizationKind;
  stateCode?: string | null;
  context?: RequestContext;
}

/** Creates a shelter, organization or network (instance administrators only), audited as 'organization.created'. */
export async function createOrganization(options: CreateOrganizationOptions): Promise<OrganizationRow> {
  const { database, actor, slug, name, kind } = options;
  const stateCode = options.stateCode ?? null;
  if (!canCreateOrganization(actor)) {
    throw new AppError('FORBIDDEN', 'Only instance administrators may create organizations.');
  }
  return database.transaction(async (trx) => {
    if (stateCode !== null) {
      const state = await trx.selectFrom('ref_states').select('code').where('code', '=', stateCode).executeTakeFirst();
      if (!state) throw new AppError('VALIDATION_FAILED', `There is no state with INEGI code "${stateCode}".`, { stateCode });
    }
    const taken = await trx.selectFrom('organizations').select('id').where('slug', '=', slug).executeTakeFirst();
    if (taken) throw new AppError('CONFLICT', `The slug "${slug}" is already in use.`, { slug });
    const organization = await trx
      .insertInto('organizations')
      .values({ slug, name, kind, state_code: stateCode })
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      ...auditSource(actor, options.context),
      organizationId: organization.id,
      action: 'organization.created',
      subjectType: 'organization',
      subjectId: organization.id,
      details: { kind, stateCode },
    });
    return organization;
  });
}
