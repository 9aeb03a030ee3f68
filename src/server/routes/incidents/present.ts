import type { FastifyRequest } from 'fastify';
import { readIncident } from '../../../commands/read-incident.js';
import type { Keyring } from '../../../crypto/keyring.js';
import type { Database } from '../../../db/client.js';
import { presentIncident } from '../../../presenters/incident.presenter.js';
import { originOf } from '../auth/request.js';

/** Reads an incident for the caller and presents it: what every incident route answers with after its command. */
export async function incidentResponse(
  deps: { database: Database; keyring: Keyring },
  request: FastifyRequest,
  incidentId: string,
  includeSensitive = false,
) {
  const read = await readIncident({ ...deps, actor: request.actor, incidentId, includeSensitive, context: originOf(request) });
  return presentIncident(read.row, read.document, {
    actor: request.actor,
    subject: read.subject,
    sensitiveIncluded: read.sensitiveIncluded,
    nextSteps: read.nextSteps,
  });
}
