import type { Selectable } from 'kysely';
import type { Database } from '../db/client.js';
import { actorNames, custodyEntries, type EvidenceRow } from '../db/repositories/evidence.repository.js';
import type { AuditLogTable } from '../db/schema.js';
import type { Actor } from '../policies/actor.js';
import { canOnIncident } from '../policies/incident.policy.js';
import { authorizeEvidence } from './evidence-access.js';
import { isUuid } from './organization-access.js';

/** The chain of custody as read: the evidence, each audit entry about it, and who acted by name where allowed. */
export interface EvidenceCustody {
  evidence: EvidenceRow;
  entries: Array<Selectable<AuditLogTable>>;
  /** Names of the people and tokens that acted; empty for callers who may not see them. */
  names: Map<string, string>;
}

/**
 * Every audit entry about a piece of evidence, oldest first: who started the upload, the receipt with
 * its SHA-256, each view, each download of the original, each refusal or export. Each entry carries its
 * place and hash in the audit chain, so the account can be checked against `vigia audit verify` and a
 * kept checkpoint. Names of those who acted are given only to the owning organization's workers: the
 * people who handle evidence are at risk too.
 */
export async function readEvidenceCustody(options: { database: Database; actor: Actor; evidenceId: string }): Promise<EvidenceCustody> {
  const { db } = options.database;
  const { evidence, subject } = await authorizeEvidence(db, options.actor, 'read', options.evidenceId);
  const entries = await custodyEntries(db, evidence.id);
  if (!canOnIncident(options.actor, 'edit', subject)) return { evidence, entries, names: new Map() };
  const ids = (type: string) => [...new Set(entries.filter((e) => e.actor_type === type && e.actor_id && isUuid(e.actor_id)).map((e) => e.actor_id!))];
  const names = await actorNames(db, { userIds: ids('user'), tokenIds: ids('api_token') });
  return { evidence, entries, names };
}
