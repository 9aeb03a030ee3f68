import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../../../db/client.js';
import { listAuditEntries } from '../../../db/repositories/audit.repository.js';
import { access } from '../../../policies/access.js';
import { auditScope } from '../../../policies/audit.policy.js';
import { auditEntrySchema, presentAuditEntry } from '../../../presenters/audit-entry.presenter.js';
import { AppError } from '../../errors.js';
import { errorResponses } from '../schemas.js';

const auditQuery = z
  .object({
    action: z.string().max(100).optional().describe('Action prefix, e.g. "membership." or "auth.sign_in"'),
    actorId: z.uuid({ error: 'must be a user or token id (uuid)' }).optional(),
    from: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }).optional().describe('Inclusive'),
    to: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }).optional().describe('Exclusive'),
    cursor: z.string().regex(/^\d{1,15}$/, 'must be the nextCursor of a previous page').optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

/**
 * The audit viewer: entries newest first, a page at a time. Instance administrators see every entry;
 * an organization's administrators see the entries recorded under it; anyone else gets 403.
 * Mounted at /api/v1/audit.
 */
export function auditRoutes(deps: { database: Database }): FastifyPluginAsyncZod {
  const { db } = deps.database;
  return async (app) => {
    app.get(
      '/',
      {
        config: { access: access.signedIn },
        schema: {
          tags: ['audit'],
          summary: 'Audit log entries, newest first (instance administrators: all; organization administrators: their own)',
          querystring: auditQuery,
          response: {
            200: z.object({ data: z.array(auditEntrySchema), nextCursor: z.string().nullable() }),
            ...errorResponses(400, 401, 403),
          },
        },
      },
      async (request) => {
        const scope = auditScope(request.actor);
        if (!scope) throw new AppError('FORBIDDEN', 'Only administrators may read the audit log.');
        const { action, actorId, from, to, cursor, limit } = request.query;
        const rows = await listAuditEntries(db, {
          organizationIds: scope.all ? undefined : scope.organizationIds,
          actionPrefix: action,
          actorId,
          from: from ? new Date(from) : undefined,
          to: to ? new Date(to) : undefined,
          beforeSeq: cursor === undefined ? undefined : Number(cursor),
          limit: limit + 1,
        });
        const page = rows.slice(0, limit);
        const last = page.at(-1);
        return {
          data: page.map((row) => presentAuditEntry(row, { withOrigin: scope.all })),
          nextCursor: rows.length > limit && last ? String(last.seq) : null,
        };
      },
    );
  };
}
