import type { WebPage } from '../../domain/web-routes.js';

/** One link of the workspace navigation. */
export interface WorkspaceLink {
  page: WebPage;
  label: 'nav.newReport' | 'nav.inbox' | 'nav.incidents' | 'nav.review' | 'nav.alerts' | 'nav.signals' | 'nav.rules';
}

/**
 * The workspace pages worth a link in the header for this person: a new report for any member (every
 * role may file into its organization); the inbox, the record, the alert drafts and the signals for those
 * who document, review or administer somewhere; the review queue for reviewers; the early-warning rules
 * for administrators (of an organization, or of the instance, who alone may change them). Only what to
 * offer — the server decides what each page may show.
 */
export function workspaceLinks(
  session: { user?: { isInstanceAdmin: boolean }; memberships: ReadonlyArray<{ roles: readonly string[] }> } | null,
): WorkspaceLink[] {
  if (!session) return [];
  const roles = new Set(session.memberships.flatMap((m) => m.roles));
  const links: WorkspaceLink[] = roles.size > 0 ? [{ page: 'memberReport', label: 'nav.newReport' }] : [];
  const works = roles.has('documenter') || roles.has('reviewer') || roles.has('administrator');
  if (works) {
    links.push({ page: 'triageInbox', label: 'nav.inbox' }, { page: 'incidentSearch', label: 'nav.incidents' });
    if (roles.has('reviewer')) links.push({ page: 'reviewQueue', label: 'nav.review' });
    links.push({ page: 'alertList', label: 'nav.alerts' }, { page: 'signalInbox', label: 'nav.signals' });
  }
  if (roles.has('administrator') || session.user?.isInstanceAdmin) links.push({ page: 'alertRules', label: 'nav.rules' });
  return links;
}

/**
 * Whether to offer an unredacted export of the organization's incidents: the server's `read_sensitive`
 * on an organization's own incidents (src/policies/incident.policy.ts), held by its documenters, reviewers
 * and administrators. Only what to offer: the server decides, and refuses anyone else.
 */
export function mayExportUnredacted(
  session: { memberships: ReadonlyArray<{ organization: { id: string }; roles: readonly string[] }> },
  organizationId: string,
): boolean {
  const roles = session.memberships.filter((m) => m.organization.id === organizationId).flatMap((m) => m.roles);
  return roles.some((role) => role === 'documenter' || role === 'reviewer' || role === 'administrator');
}
