import { sql, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { appendAudit } from '../audit/audit-log.js';
import type { Keyring } from '../crypto/keyring.js';
import type { Database } from '../db/client.js';
import type { EvidenceRow } from '../db/repositories/evidence.repository.js';
import { loadGazetteer } from '../db/repositories/gazetteer.repository.js';
import type { IncidentDocument } from '../domain/incident.js';
import type { ReportAdditionSealed, ReportSealed } from '../domain/report.js';
import { findLikelyDuplicates, type DuplicateReason } from '../domain/triage/duplicates.js';
import { suggestFromText, type Suggestions } from '../domain/triage/suggestions.js';
import type { Actor } from '../policies/actor.js';
import { canOnReport } from '../policies/report.policy.js';
import { authorizeReport, type ReportRow } from './report-access.js';
import { auditSource, type RequestContext } from './organization-access.js';
import { evidenceSealContext, type EvidenceSealed } from './start-evidence-upload.js';

/** A likely duplicate shown beside a report: another report or an incident, why, and how likely. */
export interface DuplicateCandidate {
  kind: 'report' | 'incident';
  id: string;
  label: string;
  date: string | null;
  score: number;
  reasons: DuplicateReason[];
}

/** A report as a documenter triages it. */
export interface ReportForTriage {
  row: ReportRow;
  content: ReportSealed;
  additions: { at: Date; text: string }[];
  /** The documenter's question or rejection reason, if any. */
  resolution: string | null;
  suggestions: Suggestions;
  duplicates: DuplicateCandidate[];
  /** Files the reporter sent with the report, received in full (seen through GET /api/v1/evidence/{id}/content). */
  attachments: ReportAttachment[];
}

/** A file sent with a report, with the name its reporter gave it (sealed, like the testimony). */
export interface ReportAttachment {
  row: EvidenceRow;
  fileName: string | null;
}

/** Reports and incidents compared for duplicates: same organization, dates this close. */
const DUPLICATE_WINDOW_DAYS = 30;
const DUPLICATE_THRESHOLD = 0.5;

/**
 * Opens a report for triage: its testimony and additions (audited as a read of sensitive data), what the
 * text suggests (places, perpetrators, acts, each with the words it came from), and likely duplicates
 * among the organization's recent reports and incidents.
 */
export async function readReportForTriage(options: {
  database: Database;
  keyring: Keyring;
  actor: Actor;
  reportId: string;
  context?: RequestContext;
}): Promise<ReportForTriage> {
  const { database, keyring, actor } = options;
  const gazetteer = await loadGazetteer(database);
  return database.transaction(async (trx) => {
    const report = await authorizeReport(trx, actor, 'read', options.reportId);
    const org = report.organization_id;
    const content = await keyring.openJson<ReportSealed>(trx, org, `report:${report.id}`, report.sealed);
    const additionRows = await trx.selectFrom('report_additions').selectAll().where('report_id', '=', report.id).orderBy('created_at').execute();
    const additions = await Promise.all(
      additionRows.map(async (a) => ({
        at: a.created_at,
        text: (await keyring.openJson<ReportAdditionSealed>(trx, org, `report-addition:${a.id}`, a.sealed)).text,
      })),
    );
    const attachmentRows = await trx
      .selectFrom('evidence')
      .selectAll()
      .where('report_id', '=', report.id)
      .where('status', '=', 'complete')
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    // Whoever may read the testimony may read the names the reporter gave its files.
    const attachments = await Promise.all(
      attachmentRows.map(async (row) => ({
        row,
        fileName: row.sealed === null ? null : (await keyring.openJson<EvidenceSealed>(trx, org, evidenceSealContext(row.id), row.sealed)).fileName,
      })),
    );
    const resolution = report.resolution_sealed
      ? (await keyring.openJson<{ message: string }>(trx, org, `report-resolution:${report.id}`, report.resolution_sealed)).message
      : null;
    const text = [content.whatHappened, content.whoDescription, content.shelterName, ...additions.map((a) => a.text)].filter(Boolean).join('\n');

    // Duplicates name other reports and incidents: only for those who triage, never for the person who
    // filed this report and reads it back.
    const duplicates = canOnReport(actor, 'triage', { organizationId: org, submittedBy: report.submitted_by })
      ? await likelyDuplicates(trx, keyring, report, content.whatHappened)
      : [];

    await appendAudit(trx, {
      ...auditSource(actor, options.context),
      organizationId: org,
      action: 'report.read',
      subjectType: 'report',
      subjectId: report.id,
    });
    return { row: report, content, additions, resolution, suggestions: suggestFromText(text, gazetteer), duplicates, attachments };
  });
}

function shiftDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** Reports and incidents of the same organization, close in date, that may record the same event. */
async function likelyDuplicates(
  trx: Transaction<DB>,
  keyring: Keyring,
  report: ReportRow,
  whatHappened: string,
): Promise<DuplicateCandidate[]> {
  const org = report.organization_id;
    const anchor = report.occurred_on ?? report.created_at.toISOString().slice(0, 10);
    const window = { from: shiftDays(anchor, -DUPLICATE_WINDOW_DAYS), to: shiftDays(anchor, DUPLICATE_WINDOW_DAYS) };
    const otherReports = await trx
      .selectFrom('reports')
      .select(['id', 'receipt_code', 'sealed', 'state_code', 'municipality_code', 'occurred_on', 'created_at'])
      .where('organization_id', '=', org)
      .where('id', '<>', report.id)
      .where(sql<boolean>`coalesce(occurred_on, created_at::date) between ${window.from}::date and ${window.to}::date`)
      .limit(200)
      .execute();
    const incidents = await trx
      .selectFrom('incidents')
      .select(['id', 'reference', 'title', 'document', 'state_code', 'municipality_code', 'start_date'])
      .where('organization_id', '=', org)
      .where('archived_at', 'is', null)
      .where(sql<boolean>`start_date between ${window.from}::date and ${window.to}::date`)
      .limit(200)
      .execute();
    const candidates = [
      ...(await Promise.all(
        otherReports.map(async (r) => ({
          kind: 'report' as const,
          id: r.id,
          label: r.receipt_code,
          stateCode: r.state_code ?? '',
          municipalityCode: r.municipality_code,
          date: r.occurred_on,
          text: (await keyring.openJson<ReportSealed>(trx, org, `report:${r.id}`, r.sealed)).whatHappened,
        })),
      )),
      ...incidents.map((i) => ({
        kind: 'incident' as const,
        id: i.id,
        label: `${i.reference} · ${i.title}`,
        stateCode: i.state_code ?? '',
        municipalityCode: i.municipality_code,
        date: i.start_date,
        text: `${i.title}\n${(i.document as IncidentDocument).narrative}`,
      })),
    ];
    return findLikelyDuplicates(
      { stateCode: report.state_code ?? '', municipalityCode: report.municipality_code, date: report.occurred_on, text: whatHappened },
      candidates,
      { threshold: DUPLICATE_THRESHOLD },
    )
      .slice(0, 10)
      .map((d) => ({ kind: d.item.kind, id: d.item.id, label: d.item.label, date: d.item.date, score: Math.round(d.score * 100) / 100, reasons: d.reasons }));
}
