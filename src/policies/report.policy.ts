import { rolesIn, type Actor } from './actor.js';

/**
 * Who may do what with an intake report. Deny by default. Reports hold raw testimony, so only the
 * receiving organization's documenters, reviewers and administrators triage them; the person who filed a
 * member report may read it back and, while it is open, send files with it. Instance administrators get nothing here: administering an instance is
 * not a licence to read testimony.
 */
export type ReportAction = 'file' | 'read' | 'triage' | 'attach';

export interface ReportSubject {
  organizationId: string;
  submittedBy: string | null;
}

const TRIAGE_ROLES = ['documenter', 'reviewer', 'administrator'] as const;

/** Whether `actor` may file a report into `organizationId` (any member; a token with reports:write). */
export function canFileReport(actor: Actor, organizationId: string): boolean {
  if (actor.kind === 'api_token') return actor.organizationId === organizationId && actor.permissions.includes('reports:write');
  if (actor.kind !== 'user' || (actor.mfaRequired && !actor.mfaVerified)) return false;
  return rolesIn(actor, organizationId).length > 0;
}

/** Whether `actor` may triage the reports of `organizationId` (list the inbox, turn them into incidents, reject). */
export function canTriageReports(actor: Actor, organizationId: string): boolean {
  if (actor.kind !== 'user' || (actor.mfaRequired && !actor.mfaVerified)) return false;
  const roles = rolesIn(actor, organizationId);
  return TRIAGE_ROLES.some((r) => roles.includes(r));
}

/** Whether `actor` may do `action` with `report`. Anything not allowed must answer 404 for a report they cannot see. */
export function canOnReport(actor: Actor, action: ReportAction, report: ReportSubject): boolean {
  switch (action) {
    case 'file':
      return canFileReport(actor, report.organizationId);
    case 'triage':
      return canTriageReports(actor, report.organizationId);
    case 'read':
      return canTriageReports(actor, report.organizationId) || isItsFiler(actor, report);
    case 'attach':
      // Those who triage add files to the incident instead; a report is its reporter's to complete.
      return isItsFiler(actor, report);
    default:
      return false;
  }
}

/** Whether `actor` is the member who filed `report` and may still file into its organization. */
function isItsFiler(actor: Actor, report: ReportSubject): boolean {
  return actor.kind === 'user' && report.submittedBy !== null && report.submittedBy === actor.userId && canFileReport(actor, report.organizationId);
}
