import { appendAudit } from '../audit/audit-log.js';
import { replaceRecoveryCodes } from '../auth/recovery-codes.js';
import type { Keyring } from '../crypto/keyring.js';
import type { Database } from '../db/client.js';
import type { UserActor } from '../policies/actor.js';
import type { Config } from '../server/config.js';
import { auditSource, type RequestContext } from './organization-access.js';
import { withSecondFactor } from './second-factor-attempt.js';

/** What `regenerateRecoveryCodes` needs. */
export interface RegenerateRecoveryCodesOptions {
  database: Database;
  keyring: Keyring;
  actor: UserActor;
  signIn: Config['signIn'];
  /** The authenticator app's current code. */
  code: string;
  context?: RequestContext;
}

/**
 * Replaces a person's recovery codes, voiding the old ones, audited as
 * 'auth.mfa.recovery_codes_regenerated'. It demands a current code from the app even in a verified
 * session: fresh recovery codes are a lasting way in, and a borrowed or stolen session must not be
 * able to mint them. Wrong codes count against the same throttle as sign-in.
 */
export async function regenerateRecoveryCodes(options: RegenerateRecoveryCodesOptions): Promise<string[]> {
  const { actor } = options;
  return withSecondFactor({
    ...options,
    proof: { code: options.code },
    purpose: 'regenerate_recovery_codes',
    onSuccess: async (trx) => {
      const codes = await replaceRecoveryCodes(trx, actor.userId);
      await appendAudit(trx, {
        ...auditSource(actor, options.context),
        action: 'auth.mfa.recovery_codes_regenerated',
        subjectType: 'user',
        subjectId: actor.userId,
        details: { count: codes.length },
      });
      return codes;
    },
  });
}
