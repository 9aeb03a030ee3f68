import type { Kysely } from 'kysely';
import type { Keyring } from '../crypto/keyring.js';
import { findEvidence, type EvidenceRow } from '../db/repositories/evidence.repository.js';
import type { DB } from '../db/schema.js';
import type { KeyLookup } from '../evidence/sealed-stream.js';
import type { Actor } from '../policies/actor.js';
import type { IncidentAction, IncidentSubject } from '../policies/incident.policy.js';
import { AppError } from '../server/errors.js';
import { authorizeIncident, type IncidentRow } from './incident-access.js';
import { isUuid } from './organization-access.js';

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

function evidenceNotFound(evidenceId: string): AppError {
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
