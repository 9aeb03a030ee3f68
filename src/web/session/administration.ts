import type { CurrentSession } from '../api/auth';

/*
 * What a signed-in person may administer, read from their session. Only to decide what to offer:
 * the server decides what is allowed, and a page still handles its 403 and 404.
 */

/** The organizations in which the person holds the administrator role. */
export function administeredOrganizations(session: CurrentSession): CurrentSession['memberships'] {
  return session.memberships.filter((m) => m.roles.includes('administrator'));
}

/** Whether the person may administer the organization: its administrators and instance administrators. */
export function mayAdminister(session: CurrentSession, organizationId: string): boolean {
  return session.user.isInstanceAdmin || administeredOrganizations(session).some((m) => m.organization.id === organizationId);
}

/** Whether the person may read the audit log (all of it, or their organizations' part). */
export function mayReadAudit(session: CurrentSession): boolean {
  return session.user.isInstanceAdmin || administeredOrganizations(session).length > 0;
}
