import type { Kysely } from 'kysely';
import type { Keyring } from '../crypto/keyring.js';
import { findEvidence, type EvidenceRow } from '../db/repositories/evidence.repository.js';
import type { DB } from '../db/schema.js';
import type { KeyLookup } from '../evidence/sealed-stream.js';
import type { Actor } from '../policies/actor.js';
import type { IncidentAction, IncidentSubject } from '../policies/incident.policy.js';
import type { ReportAction } from '../policies/report.policy.js';
import { AppError } from '../server/errors.js';
import { authorizeIncident, type IncidentRow } from './incident-access.js';
import { isUuid } from './organization-access.js';
import { authorizeReport } from './report-access.js';

/**
 * Loads evidence for `action`, which is decided on the incident it belongs to: 404 when it does not
 * exist or its incident is not visible to the actor, 403 when visible but the action is not theirs.
 * The errors name the evidence only, never its incident, so a 404 reveals nothing. Evidence attached
 * to a report rather than an incident is not served here.
 */
export async function authorizeEvidence(
  db: Kysely<DB>,
  actor: Actor,
  action: IncidentAction,
  evidenceId: string,
): Promise<{ evidence: EvidenceRow; incident: IncidentRow; subject: IncidentSubject }> {
  const evidence = isUuid(evidenceId) ? await findEvidence(db, evidenceId) : undefined;
  if (!evidence || evidence.incident_id === null) throw evidenceNotFound(evidenceId);
  try {
    const { incident, subject } = await authorizeIncident(db, actor, action, evidence.incident_id);
    return { evidence, incident, subject };
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOT_FOUND') throw evidenceNotFound(evidenceId);
    if (error instanceof AppError && error.code === 'FORBIDDEN') {
      throw new AppError('FORBIDDEN', 'You may not do this with this evidence.', { evidenceId, action });
    }
    throw error;
  }
}

/**
 * How an evidence command decides who may touch one piece of evidence: it loads the row or throws (one
 * 404 for anything not visible). Members go through the incident's policy, anonymous reporters through
 * their receipt (src/commands/report-attachments.ts), members who filed a report by `memberUploadGate`.
 */
export type EvidenceGate = (db: Kysely<DB>, evidenceId: string) => Promise<EvidenceRow>;

/**
 * The gate for members and tokens who send an upload's chunks or ask where it stands: evidence of an
 * incident by the incident's policy (`add_evidence`); a file sent with a member's report, before triage,
 * only by the member who filed the report and opened the upload.
 */
export function memberUploadGate(actor: Actor): EvidenceGate {
  return async (db, evidenceId) => {
    const evidence = await findReportEvidence(db, evidenceId);
    if (!evidence) return (await authorizeEvidence(db, actor, 'add_evidence', evidenceId)).evidence;
    await authorizeReportEvidence(db, actor, 'attach', evidence);
    if (actor.kind !== 'user' || evidence.uploaded_by !== actor.userId) throw evidenceNotFound(evidenceId);
    return evidence;
  };
}

/**
 * Loads evidence to be seen as its metadata-free copy. Evidence of an incident is decided on the
 * incident; evidence still attached to a report (sent with it, before triage) only by those who may
 * triage that report. Anything else is 404, as for evidence that does not exist.
 */
export async function authorizeEvidenceView(db: Kysely<DB>, actor: Actor, evidenceId: string): Promise<EvidenceRow> {
  const evidence = await findReportEvidence(db, evidenceId);
  if (!evidence) return (await authorizeEvidence(db, actor, 'read', evidenceId)).evidence;
  await authorizeReportEvidence(db, actor, 'triage', evidence);
  return evidence;
}

/** Evidence that belongs to a report and not (yet) to an incident, or undefined. */
async function findReportEvidence(db: Kysely<DB>, evidenceId: string): Promise<(EvidenceRow & { report_id: string }) | undefined> {
  const evidence = isUuid(evidenceId) ? await findEvidence(db, evidenceId) : undefined;
  if (!evidence || evidence.incident_id !== null || evidence.report_id === null) return undefined;
  return { ...evidence, report_id: evidence.report_id };
}

/** Decides `action` on the report the evidence was sent with; the errors name the evidence, never the report. */
async function authorizeReportEvidence(db: Kysely<DB>, actor: Actor, action: ReportAction, evidence: EvidenceRow & { report_id: string }): Promise<void> {
  try {
    await authorizeReport(db, actor, action, evidence.report_id);
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOT_FOUND') throw evidenceNotFound(evidence.id);
    if (error instanceof AppError && error.code === 'FORBIDDEN') {
      throw new AppError('FORBIDDEN', 'You may not do this with this evidence.', { evidenceId: evidence.id, action });
    }
    throw error;
  }
}

export function evidenceNotFound(evidenceId: string): AppError {
  return new AppError('NOT_FOUND', 'There is no such evidence.', { evidenceId });
}

/**
 * The store's key lookup for one piece of evidence: every file of it is sealed under the data key
 * version recorded on its row, fetched (and unwrapped) once here because the store asks synchronously.
 */
export async function evidenceKeys(
  db: Kysely<DB>,
  keyring: Keyring,
  evidence: Pick<EvidenceRow, 'organization_id' | 'key_version'>,
): Promise<{ key: Buffer; keyVersion: number; lookup: KeyLookup }> {
  const key = await keyring.keyFor(db, evidence.organization_id, evidence.key_version);
  const lookup: KeyLookup = (version) => {
    if (version !== evidence.key_version) throw new Error(`Evidence is sealed under key version ${evidence.key_version}, not ${version}.`);
    return key;
  };
  return { key, keyVersion: evidence.key_version, lookup };
}
