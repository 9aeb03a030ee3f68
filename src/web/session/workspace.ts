import type { WebPage } from '../../domain/web-routes.js';

/** One link of the workspace navigation. */
export interface WorkspaceLink {
  page: WebPage;
  label: 'nav.newReport' | 'nav.inbox' | 'nav.incidents' | 'nav.review';
}

/**
 * The workspace pages worth a link in the header for this person: a new report for any member (every
 * role may file into its organization); the inbox and the record for those who document, review or
 * administer somewhere; the review queue for reviewers. Only what to offer — the server decides what
 * each page may show.
 */
export function workspaceLinks(session: { memberships: ReadonlyArray<{ roles: readonly string[] }> } | null): WorkspaceLink[] {
  if (!session) return [];
  const roles = new Set(session.memberships.flatMap((m) => m.roles));
  const links: WorkspaceLink[] = roles.size > 0 ? [{ page: 'memberReport', label: 'nav.newReport' }] : [];
  const works = roles.has('documenter') || roles.has('reviewer') || roles.has('administrator');
  if (!works) return links;
  links.push({ page: 'triageInbox', label: 'nav.inbox' }, { page: 'incidentSearch', label: 'nav.incidents' });
  if (roles.has('reviewer')) links.push({ page: 'reviewQueue', label: 'nav.review' });
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
