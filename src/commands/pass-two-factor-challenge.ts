import { appendAudit } from '../audit/audit-log.js';
import { countUnusedRecoveryCodes } from '../auth/recovery-codes.js';
import { markSessionMfaVerified } from '../auth/sessions.js';
import type { Keyring } from '../crypto/keyring.js';
import type { Database } from '../db/client.js';
import type { UserActor } from '../policies/actor.js';
import type { Config } from '../server/config.js';
import { auditSource, type RequestContext } from './organization-access.js';
import { withSecondFactor, type SecondFactorProof } from './second-factor-attempt.js';

/** What `passTwoFactorChallenge` needs. */
export interface TwoFactorChallengeOptions {
  database: Database;
  keyring: Keyring;
  actor: UserActor;
  signIn: Config['signIn'];
  proof: SecondFactorProof;
  context?: RequestContext;
}

/**
 * Completes sign-in for a person with two-factor sign-in: a right code (or an unused recovery code)
 * marks this session as having passed the second factor. Throttled per person; audited as
 * 'auth.mfa.challenge_succeeded' or 'auth.mfa.challenge_failed', plus 'auth.mfa.recovery_code_used'
 * with the number of codes left, so that an administrator can see a person running out.
 */
export async function passTwoFactorChallenge(options: TwoFactorChallengeOptions): Promise<void> {
  const { actor } = options;
  const source = auditSource(actor, options.context);
  await withSecondFactor({
    ...options,
    purpose: 'sign_in',
    onSuccess: async (trx, method) => {
      await markSessionMfaVerified(trx, actor.sessionId);
      await appendAudit(trx, {
        ...source,
        action: 'auth.mfa.challenge_succeeded',
        subjectType: 'user',
        subjectId: actor.userId,
        details: { method, sessionId: actor.sessionId },
      });
      if (method === 'recovery_code') {
        await appendAudit(trx, {
          ...source,
          action: 'auth.mfa.recovery_code_used',
          subjectType: 'user',
          subjectId: actor.userId,
          details: { remaining: await countUnusedRecoveryCodes(trx, actor.userId) },
        });
      }
    },
  });
}
