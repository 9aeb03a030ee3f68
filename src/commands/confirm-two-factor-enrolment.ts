import { appendAudit } from '../audit/audit-log.js';
import { replaceRecoveryCodes } from '../auth/recovery-codes.js';
import { markSessionMfaVerified } from '../auth/sessions.js';
import { confirmTotpEnrolment } from '../auth/totp.js';
import type { Keyring } from '../crypto/keyring.js';
import type { Database } from '../db/client.js';
import type { UserActor } from '../policies/actor.js';
import { AppError } from '../server/errors.js';
import { auditSource, type RequestContext } from './organization-access.js';

/** What `confirmTwoFactorEnrolment` needs. */
export interface ConfirmTwoFactorEnrolmentOptions {
  database: Database;
  keyring: Keyring;
  actor: UserActor;
  /** The code the newly set-up app shows. */
  code: string;
  context?: RequestContext;
}

/**
 * Enables two-factor sign-in once the app proves it holds the pending secret, makes the first recovery
 * codes (returned in clear this once) and marks this session as verified, so the person goes on
 * without signing in again. Audited as 'auth.mfa.enrolled'.
 */
export async function confirmTwoFactorEnrolment(options: ConfirmTwoFactorEnrolmentOptions): Promise<string[]> {
  const { database, actor } = options;
  return database.transaction(async (trx) => {
    const check = await confirmTotpEnrolment(trx, options.keyring, actor.userId, options.code);
    if (!check.ok && check.reason === 'not_enrolled') {
      throw new AppError(
        'CONFLICT',
        'There is no set-up to confirm: either two-factor sign-in is already on, or set-up was never started.',
      );
    }
    if (!check.ok) {
      throw new AppError(
        'BAD_REQUEST',
        'That code does not match. Check that the phone shows the right time and enter the current code.',
        { reason: 'invalid_code' },
      );
    }
    const codes = await replaceRecoveryCodes(trx, actor.userId);
    await markSessionMfaVerified(trx, actor.sessionId);
    await appendAudit(trx, {
      ...auditSource(actor, options.context),
      action: 'auth.mfa.enrolled',
      subjectType: 'user',
      subjectId: actor.userId,
      details: { method: 'totp', recoveryCodes: codes.length },
    });
    return codes;
  });
}
