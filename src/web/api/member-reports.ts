import { apiRequest } from './client';
import type { ReportContent } from './public-reports';

/*
 * Reports filed by a signed-in member into their organization's inbox, and the files sent with them
 * (src/server/routes/reports/triage.ts). Unlike the public calls these carry the session: the report is
 * filed as the member, who is named in its files' chain of custody.
 */

export interface MemberReportBody extends Omit<ReportContent, 'organizationId'> {
  actTypes: string[];
  victimCharacteristics: string[];
  peopleAffected: number | null;
  agentsCount: number | null;
  /** Chosen on this device, so a retry with the same Idempotency-Key answers the same receipt. */
  receiptSecret: string;
}

export interface FiledMemberReport {
  id: string;
  receiptCode: string;
  /** Null: the secret is the one this device chose. */
  secret: string | null;
  submittedAt: string;
}

export const memberReportsApi = {
  /** 201 the first time, 200 with the same receipt for a retry with the same key. */
  file: (organizationId: string, idempotencyKey: string, body: MemberReportBody) =>
    apiRequest<FiledMemberReport>(`/organizations/${encodeURIComponent(organizationId)}/reports`, {
      method: 'POST',
      headers: { 'idempotency-key': idempotencyKey },
      body,
    }),
  /** Opens a file's upload; its chunks then go through the evidence calls (`evidenceApi.sendChunk`). */
  startAttachment: (reportId: string, length: number, fileName: string) =>
    apiRequest<{ id: string; offset: number; length: number }>(`/reports/${encodeURIComponent(reportId)}/attachments`, {
      method: 'POST',
      body: { length, fileName },
    }),
};
