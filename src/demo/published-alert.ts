import { mexicoCityDate } from '../commands/alert-requests.js';
import { recordAlertResponse } from '../commands/follow-up-alert-request.js';
import type { Keyring } from '../crypto/keyring.js';
import type { Database } from '../db/client.js';
import type { Actor } from '../policies/actor.js';
import type { Config } from '../server/config.js';
import { draftApproveAndPublishAlert } from './demo-alert.js';

/** What the council's published alert shows about its follow-up: who answered, who is overdue. */
const ANSWERS: Record<string, { summary: string }> = {
  INM: {
    summary: 'El INM respondió que las revisiones migratorias corresponden solo a su personal y que pidió a la Guardia Nacional abstenerse de realizarlas en albergues.',
  },
  CNDH: {
    summary: 'La CNDH abrió un expediente de queja de oficio y solicitó medidas cautelares para los albergues señalados.',
  },
};

/**
 * For the demo: the council's alert about the summer of 2019, drafted from its verified incidents and
 * published through the same commands people use (so the do-no-harm check and the approvals ran), with
 * the follow-up a newcomer should see on its public page — two authorities that answered (the alert is
 * published on the day the demo is seeded, so they answered that day), the rest awaiting their answer.
 * Seeding again changes nothing.
 */
export async function seedPublishedAlert(
  database: Database,
  keyring: Keyring,
  config: Config,
  people: { councilId: string; author: Actor; reviewers: readonly Actor[] },
): Promise<{ slug: string } | null> {
  const existing = await database.db
    .selectFrom('alerts')
    .select('slug')
    .where('network_id', '=', people.councilId)
    .where('status', '=', 'published')
    .executeTakeFirst();
  if (existing?.slug) return { slug: existing.slug };
  const incidents = await database.db
    .selectFrom('incidents')
    .select('id')
    .where('organization_id', '=', people.councilId)
    .where('status', '=', 'verified')
    .where('archived_at', 'is', null)
    .where('start_date', '>=', '2019-06-01')
    .where('start_date', '<=', '2019-08-31')
    .execute();
  if (incidents.length === 0) return null;
  const alert = await draftApproveAndPublishAlert({
    database,
    keyring,
    config,
    networkId: people.councilId,
    incidentIds: incidents.map((i) => i.id),
    author: people.author,
    reviewers: people.reviewers,
  });
  const requests = await database.db.selectFrom('alert_requests').select(['id', 'addressee_code']).where('alert_id', '=', alert.id).execute();
  const reviewer = people.reviewers[0]!;
  const today = mexicoCityDate(new Date());
  for (const request of requests) {
    const answer = ANSWERS[request.addressee_code];
    if (answer) await recordAlertResponse({ database, actor: reviewer, requestId: request.id, receivedOn: today, summary: answer.summary, documentText: null });
  }
  return { slug: alert.slug! };
}
