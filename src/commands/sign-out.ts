import { appendAudit } from '../audit/audit-log.js';
import { revokeAllSessions, revokeOtherSessions, revokeSession } from '../auth/sessions.js';
import type { Database } from '../db/client.js';
import type { UserActor } from '../policies/actor.js';
import { AppError } from '../server/errors.js';
import type { RequestOrigin } from './sign-in.js';

/*
 * Ending sessions: the current one (sign-out), one chosen from the list, all the others ("sign out
 * everywhere else", after a lost phone), or all. Each is audited in the same transaction.
 */

interface SessionCommand {
  database: Database;
  actor: UserActor;
  origin: RequestOrigin;
}

function auditEntry(actor: UserActor, origin: RequestOrigin, action: 'auth.sign_out' | 'auth.sessions.revoked') {
  return { actorType: 'user', actorId: actor.userId, ...origin, action } as const;
}

/** Ends the session the request came with. */
export async function signOut({ database, actor, origin }: SessionCommand): Promise<void> {
  await database.transaction(async (trx) => {
    await revokeSession(trx, actor.userId, actor.sessionId);
    await appendAudit(trx, { ...auditEntry(actor, origin, 'auth.sign_out'), subjectType: 'session', subjectId: actor.sessionId });
  });
}

/** Ends one of the person's own sessions; 404 when it is not theirs or already ended. */
export async function revokeOwnSession({ database, actor, origin, sessionId }: SessionCommand & { sessionId: string }): Promise<void> {
  await database.transaction(async (trx) => {
    if (!(await revokeSession(trx, actor.userId, sessionId))) {
      throw new AppError('NOT_FOUND', 'You have no active session with this id.', { sessionId });
    }
    await appendAudit(trx, {
      ...auditEntry(actor, origin, 'auth.sessions.revoked'),
      subjectType: 'session',
      subjectId: sessionId,
      details: { scope: 'one', count: 1 },
    });
  });
}

/** Ends every session of the person but the current one; returns how many ended. */
export function revokeOthers(command: SessionCommand): Promise<number> {
  return revokeMany(command, 'others');
}

/** Ends every session of the person, the current one included; returns how many ended. */
export function revokeEverySession(command: SessionCommand): Promise<number> {
  return revokeMany(command, 'all');
}

async function revokeMany({ database, actor, origin }: SessionCommand, scope: 'others' | 'all'): Promise<number> {
  return database.transaction(async (trx) => {
    const count =
      scope === 'others'
        ? await revokeOtherSessions(trx, actor.userId, actor.sessionId)
        : await revokeAllSessions(trx, actor.userId);
    await appendAudit(trx, {
      ...auditEntry(actor, origin, 'auth.sessions.revoked'),
      subjectType: 'user',
      subjectId: actor.userId,
      details: { scope, count },
    });
    return count;
  });
}
