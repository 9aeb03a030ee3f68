import { sql } from 'kysely';
import { appendAudit } from '../audit/audit-log.js';
import { findUsableInvitation, invitationNotFound } from '../auth/invitations.js';
import { assertAcceptablePassword, hashPassword } from '../auth/passwords.js';
import { createSession, revokeSessionByToken, type CreatedSession } from '../auth/sessions.js';
import type { Database } from '../db/client.js';
import type { Role } from '../db/schema.js';
import { ROLES_REQUIRING_MFA, type Actor } from '../policies/actor.js';
import type { Config } from '../server/config.js';
import { AppError } from '../server/errors.js';
import type { MfaStep, RequestOrigin } from './sign-in.js';

/** What `acceptInvitation` needs; `displayName` and `password` only when the address has no account yet. */
export interface AcceptInvitationOptions {
  database: Database;
  config: Pick<Config, 'sessions'>;
  actor: Actor;
  token: string;
  displayName?: string | undefined;
  password?: string | undefined;
  origin: RequestOrigin;
  /** The session cookie the browser sent, revoked when a new account is signed in (no fixation). */
  presentedToken?: string | undefined;
}

/** The outcome: the member, where and as what, and the new session when an account was created. */
export interface AcceptedInvitation {
  user: { id: string; email: string; displayName: string };
  organization: { id: string; name: string };
  role: Role;
  newAccount: boolean;
  /** What the session still needs before the person can work, as after sign-in. */
  mfa: MfaStep;
  /** Set for a new account (the caller sets the cookie); null when the person was already signed in. */
  session: CreatedSession | null;
}

const displayNameMax = 120;

/**
 * Accepts an invitation. A new address becomes an account (display name and password, checked against
 * the password policy) that is signed in at once; an address that already has an account must be
 * signed in as that account, which then gains the role. The membership, the use of the token, the
 * session and the 'invitation.accepted' entry commit together or not at all, and the token is locked
 * while they do, so two accepts of one link cannot both succeed.
 */
export async function acceptInvitation(options: AcceptInvitationOptions): Promise<AcceptedInvitation> {
  const { database, actor, token, origin } = options;
  const invitation = await findUsableInvitation(database.db, token);
  if (!invitation) throw invitationNotFound();

  const existing = await database.db
    .selectFrom('users')
    .select(['id', 'email', 'display_name', 'disabled_at', 'totp_enabled_at'])
    .where('email', '=', invitation.email)
    .executeTakeFirst();
  if (existing?.disabled_at) throw invitationNotFound();
  if (existing) {
    if (actor.kind !== 'user') {
      throw new AppError(
        'UNAUTHENTICATED',
        'This address already has an account: sign in with it, then open the invitation link again.',
      );
    }
    if (actor.userId !== existing.id) {
      throw new AppError('FORBIDDEN', 'This invitation is for another account: sign in as the invited person to accept it.');
    }
  }

  // Hashing takes tens of milliseconds on purpose; done before the transaction so no lock waits on it.
  const account = existing
    ? ({ kind: 'existing', user: existing } as const)
    : ({
        kind: 'new',
        displayName: requiredDisplayName(options.displayName),
        passwordHash: await newPasswordHash(options.password),
      } as const);

  return database.transaction(async (trx) => {
    const locked = await findUsableInvitation(trx, token, { forUpdate: true });
    if (!locked || locked.id !== invitation.id) throw invitationNotFound();

    let user: AcceptedInvitation['user'];
    if (account.kind === 'existing') {
      user = { id: account.user.id, email: account.user.email, displayName: account.user.display_name };
    } else {
      const created = await trx
        .insertInto('users')
        .values({ email: locked.email, display_name: account.displayName, password_hash: account.passwordHash })
        .onConflict((conflict) => conflict.column('email').doNothing())
        .returning(['id', 'email', 'display_name'])
        .executeTakeFirst();
      if (!created) {
        throw new AppError('CONFLICT', 'An account with this address was created meanwhile: sign in with it and accept again.');
      }
      user = { id: created.id, email: created.email, displayName: created.display_name };
    }

    await trx
      .insertInto('memberships')
      .values({ user_id: user.id, organization_id: locked.organizationId, role: locked.role, granted_by: locked.invitedBy })
      .onConflict((conflict) => conflict.columns(['user_id', 'organization_id', 'role']).doNothing())
      .execute();
    await trx.updateTable('invitations').set({ accepted_at: sql<Date>`now()` }).where('id', '=', locked.id).execute();

    const roleNeedsMfa = ROLES_REQUIRING_MFA.includes(locked.role);
    let session: CreatedSession | null = null;
    let mfa: MfaStep;
    if (account.kind === 'existing' && actor.kind === 'user') {
      const required = actor.mfaRequired || roleNeedsMfa;
      mfa = !required ? 'none' : !actor.mfaEnrolled ? 'enrol' : actor.mfaVerified ? 'none' : 'challenge';
    } else {
      mfa = roleNeedsMfa ? 'enrol' : 'none';
      if (options.presentedToken) await revokeSessionByToken(trx, options.presentedToken);
      session = await createSession(trx, {
        userId: user.id,
        mfaVerified: mfa === 'none',
        ip: origin.ip,
        userAgent: origin.userAgent,
        config: options.config,
      });
    }

    await appendAudit(trx, {
      actorType: 'user',
      actorId: user.id,
      organizationId: locked.organizationId,
      action: 'invitation.accepted',
      subjectType: 'invitation',
      subjectId: locked.id,
      details: { role: locked.role, newAccount: account.kind === 'new' },
      ip: origin.ip,
      userAgent: origin.userAgent,
      requestId: origin.requestId ?? null,
    });
    return {
      user,
      organization: { id: locked.organizationId, name: locked.organizationName },
      role: locked.role,
      newAccount: account.kind === 'new',
      mfa,
      session,
    };
  });
}

function requiredDisplayName(value: string | undefined): string {
  const name = value?.trim() ?? '';
  if (name.length >= 1 && name.length <= displayNameMax) return name;
  const message = name.length === 0 ? 'is required to create your account' : `must be at most ${displayNameMax} characters long`;
  throw new AppError('VALIDATION_FAILED', `Invalid body: displayName: ${message}`, [
    { location: 'body', field: 'displayName', message },
  ]);
}

async function newPasswordHash(value: string | undefined): Promise<string> {
  if (value === undefined || value === '') {
    throw new AppError('VALIDATION_FAILED', 'Invalid body: password: is required to create your account', [
      { location: 'body', field: 'password', message: 'is required to create your account' },
    ]);
  }
  assertAcceptablePassword(value);
  return hashPassword(value);
}
