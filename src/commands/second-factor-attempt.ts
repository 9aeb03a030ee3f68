import type { Transaction } from 'kysely';
import { appendAudit } from '../audit/audit-log.js';
import { beginMfaAttempt, clearMfaFailures, recordMfaFailure } from '../auth/mfa-throttle.js';
import { useRecoveryCode } from '../auth/recovery-codes.js';
import { verifyTotp } from '../auth/totp.js';
import type { Keyring } from '../crypto/keyring.js';
import type { Database } from '../db/client.js';
import type { DB } from '../db/schema.js';
import type { UserActor } from '../policies/actor.js';
import type { Config } from '../server/config.js';
import { AppError } from '../server/errors.js';
import { auditSource, type RequestContext } from './organization-access.js';

/** What a person offers as their second factor: the app's current code, or one of their recovery codes. */
export type SecondFactorProof = { code: string } | { recoveryCode: string };

/** How a second factor was proved, as recorded in the audit log. */
export type SecondFactorMethod = 'totp' | 'recovery_code';

/** What `withSecondFactor` needs. */
export interface SecondFactorAttemptOptions<T> {
  database: Database;
  keyring: Keyring;
  actor: UserActor;
  signIn: Config['signIn'];
  proof: SecondFactorProof;
  /** Why the factor is asked for, so that the audit log tells a failed sign-in from a failed confirmation. */
  purpose: 'sign_in' | 'regenerate_recovery_codes';
  context?: RequestContext;
  /** The change the factor unlocks, in the same transaction as the check. */
  onSuccess: (trx: Transaction<DB>, method: SecondFactorMethod) => Promise<T>;
}

/**
 * Checks a second factor and runs `onSuccess` in the same transaction. A wrong code is counted by the
 * throttle and audited as 'auth.mfa.challenge_failed' in a transaction that commits, and only then
 * refused (401): throwing inside it would roll the count back and make guessing free.
 */
export async function withSecondFactor<T>(options: SecondFactorAttemptOptions<T>): Promise<T> {
  const { database, actor, proof } = options;
  const method: SecondFactorMethod = 'code' in proof ? 'totp' : 'recovery_code';
  const outcome = await database.transaction(async (trx) => {
    const { enrolled } = await beginMfaAttempt(trx, actor.userId);
    if (!enrolled) {
      throw new AppError('CONFLICT', 'Two-factor sign-in is not set up for this account: set up an authenticator app first.');
    }
    const reason =
      'code' in proof
        ? await totpFailure(trx, options.keyring, actor.userId, proof.code)
        : (await useRecoveryCode(trx, actor.userId, proof.recoveryCode))
          ? undefined
          : 'wrong_code';
    if (reason) {
      const { locked } = await recordMfaFailure(trx, actor.userId, options.signIn);
      await appendAudit(trx, {
        ...auditSource(actor, options.context),
        action: 'auth.mfa.challenge_failed',
        subjectType: 'user',
        subjectId: actor.userId,
        details: { method, reason, purpose: options.purpose, locked },
      });
      return { ok: false as const };
    }
    await clearMfaFailures(trx, actor.userId);
    return { ok: true as const, value: await options.onSuccess(trx, method) };
  });
  if (!outcome.ok) {
    throw new AppError(
      'UNAUTHENTICATED',
      method === 'totp'
        ? 'That code is wrong or was already used. Enter the code your authenticator app shows now.'
        : 'That recovery code is wrong or was already used.',
      { reason: 'invalid_code' },
    );
  }
  return outcome.value;
}

async function totpFailure(trx: Transaction<DB>, keyring: Keyring, userId: string, code: string): Promise<string | undefined> {
  const check = await verifyTotp(trx, keyring, userId, code);
  return check.ok ? undefined : check.reason;
}
