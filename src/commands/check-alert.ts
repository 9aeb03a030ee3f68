import type { Kysely } from 'kysely';
import type { Keyring } from '../crypto/keyring.js';
import type { Database } from '../db/client.js';
import type { DB } from '../db/schema.js';
import type { AlertContent } from '../domain/alert.js';
import { checkDoNoHarm, type DoNoHarmFinding } from '../domain/alerts/do-no-harm.js';
import type { Actor } from '../policies/actor.js';
import { AppError } from '../server/errors.js';
import { authorizeAlert, contentOf, type AlertRow } from './alert-access.js';
import { placeNamesOf, sealedValuesOf } from './alert-facts.js';

/**
 * Runs the do-no-harm check of a text against the sealed values of the alert's incidents. The sealed
 * values live only inside this call.
 */
export async function doNoHarmFindings(
  db: Kysely<DB>,
  keyring: Keyring,
  alert: Pick<AlertRow, 'incident_ids'>,
  content: AlertContent,
  smallNumberThreshold: number,
): Promise<DoNoHarmFinding[]> {
  const incidents = alert.incident_ids.length
    ? await db.selectFrom('incidents').select(['id', 'organization_id', 'sealed', 'municipality_code']).where('id', 'in', alert.incident_ids).execute()
    : [];
  const sealed = await sealedValuesOf(db, keyring, incidents);
  return checkDoNoHarm(content, { sealed, smallNumberThreshold, placeNames: await placeNamesOf(db, incidents) });
}

/** Refuses publication of a text the check finds anything in, with the findings for the editor. */
export function assertNoHarm(findings: readonly DoNoHarmFinding[]): void {
  if (findings.length > 0) {
    throw new AppError('CONFLICT', `The do-no-harm check found ${findings.length} thing(s) that must not be published; fix them first.`, {
      reason: 'do_no_harm',
      findings,
    });
  }
}

/** The check as the editor asks for it: of the stored text, or of a text being edited (not saved). */
export async function checkAlert(options: {
  database: Database;
  keyring: Keyring;
  smallNumberThreshold: number;
  actor: Actor;
  alertId: string;
  content?: AlertContent;
}): Promise<DoNoHarmFinding[]> {
  const { db } = options.database;
  const alert = await authorizeAlert(db, options.actor, 'read', options.alertId);
  return doNoHarmFindings(db, options.keyring, alert, options.content ?? contentOf(alert), options.smallNumberThreshold);
}
