import type { Actor } from './actor.js';

/** Which audit entries an actor may read; `undefined` means none (answered with 403). */
export type AuditScope = { all: true } | { all: false; organizationIds: string[] } | undefined;

/**
 * Instance administrators read the whole log (they answer for the instance); an organization's
 * administrators read the entries recorded under it; nobody else reads any, since entries reveal who
 * did what and when. API tokens never read the log.
 */
export function auditScope(actor: Actor): AuditScope {
  if (actor.kind !== 'user' || (actor.mfaRequired && !actor.mfaVerified)) return undefined;
  if (actor.isInstanceAdmin) return { all: true };
  const organizationIds = actor.memberships
    .filter((m) => m.roles.includes('administrator'))
    .map((m) => m.organizationId);
  return organizationIds.length > 0 ? { all: false, organizationIds } : undefined;
}
