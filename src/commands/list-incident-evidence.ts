import type { Keyring } from '../crypto/keyring.js';
import type { Database } from '../db/client.js';
import { listIncidentEvidence, type EvidenceRow } from '../db/repositories/evidence.repository.js';
import type { Actor } from '../policies/actor.js';
import { canOnIncident } from '../policies/incident.policy.js';
import { authorizeIncident } from './incident-access.js';
import { evidenceSealContext, type EvidenceSealed } from './start-evidence-upload.js';

/** An evidence row and, for those who may edit the incident, the file name its uploader gave. */
export interface ListedEvidence {
  row: EvidenceRow;
  /** Null when there was none, or when the caller may not see it. */
  fileName: string | null;
}

/**
 * The evidence of an incident, for anyone who may read the incident. A file name can hold a person's
 * name or a place ("denuncia_maria_tapachula.jpg"), so it is opened only for those who may edit the
 * incident (the owning organization's workers), never for a network reading a shared incident or an
 * API token with read access.
 */
export async function listEvidenceOfIncident(options: {
  database: Database;
  keyring: Keyring;
  actor: Actor;
  incidentId: string;
}): Promise<ListedEvidence[]> {
  const { database, keyring, actor } = options;
  const { db } = database;
  const { incident, subject } = await authorizeIncident(db, actor, 'read', options.incidentId);
  const rows = await listIncidentEvidence(db, incident.id);
  if (!canOnIncident(actor, 'edit', subject)) return rows.map((row) => ({ row, fileName: null }));
  return Promise.all(
    rows.map(async (row) => {
      if (row.sealed === null) return { row, fileName: null };
      const sealed = await keyring.openJson<EvidenceSealed>(db, row.organization_id, evidenceSealContext(row.id), row.sealed);
      return { row, fileName: sealed.fileName };
    }),
  );
}
