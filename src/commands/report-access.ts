import type { Kysely, Selectable } from 'kysely';
import type { DB, ReportsTable } from '../db/schema.js';
import type { Actor } from '../policies/actor.js';
import { canOnReport, type ReportAction } from '../policies/report.policy.js';
import { AppError } from '../server/errors.js';
import { isUuid } from './organization-access.js';

export type ReportRow = Selectable<ReportsTable>;

/**
 * Loads a report for `action`: 404 when it does not exist or the actor may not read it (one answer),
 * 403 when readable but the action is not theirs. With `forUpdate`, locked until the transaction ends, so
 * two documenters cannot triage one report twice.
 */
export async function authorizeReport(
  db: Kysely<DB>,
  actor: Actor,
  action: ReportAction,
  reportId: string,
  options: { forUpdate?: boolean } = {},
): Promise<ReportRow> {
  let query = db.selectFrom('reports').selectAll().where('id', '=', isUuid(reportId) ? reportId : '00000000-0000-0000-0000-000000000000');
  if (options.forUpdate) query = query.forUpdate();
  const report = await query.executeTakeFirst();
  const subject = report && { organizationId: report.organization_id, submittedBy: report.submitted_by };
  if (!report || !subject || !canOnReport(actor, 'read', subject)) {
    throw new AppError('NOT_FOUND', 'There is no such report.', { reportId });
  }
  if (!canOnReport(actor, action, subject)) {
    throw new AppError('FORBIDDEN', 'You may not do this with this report.', { reportId, action });
  }
  return report;
}

/** Refuses to triage a report already turned into an incident, attached or rejected. */
export function assertOpenForTriage(report: ReportRow): void {
  if (report.status !== 'new' && report.status !== 'needs_information') {
    throw new AppError('CONFLICT', `This report was already triaged (${report.status.replace('_', ' ')}).`, { status: report.status });
  }
}
