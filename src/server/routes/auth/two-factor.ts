import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { startTotpEnrolment } from '../../../auth/totp.js';
import { confirmTwoFactorEnrolment } from '../../../commands/confirm-two-factor-enrolment.js';
import { passTwoFactorChallenge } from '../../../commands/pass-two-factor-challenge.js';
import { regenerateRecoveryCodes } from '../../../commands/regenerate-recovery-codes.js';
import type { Keyring } from '../../../crypto/keyring.js';
import type { Database } from '../../../db/client.js';
import { access } from '../../../policies/access.js';
import type { Config } from '../../config.js';
import { errorResponses } from '../schemas.js';
import { originOf, signedInUser, withRetryAfter } from './request.js';

const tags = ['auth'];

const totpCodeSchema = z
  .string({ error: 'is required: the 6-digit code from the authenticator app' })
  .regex(/^\d{6}$/, 'must be the 6-digit code from the authenticator app');

// Bounded, not validated further: the command reads any spacing or case, and a malformed code must
// count as a wrong guess against the throttle rather than answer differently.
const recoveryCodeSchema = z.string().min(1).max(32);

const challengeBody = z.union([
  z.object({ code: totpCodeSchema }).strict(),
  z.object({ recoveryCode: recoveryCodeSchema }).strict(),
]);

const recoveryCodesResponse = z.object({
  recoveryCodes: z.array(z.string()).describe('One-time codes, shown this once; keep them somewhere safe offline'),
});

/**
 * Two-factor sign-in with an authenticator app: set-up, the sign-in challenge and recovery codes.
 * Mounted at /api/v1/auth/two-factor. Set-up and the challenge are open to a session still waiting for
 * its second factor, since they are how it gets one.
 */
export function twoFactorRoutes(deps: { database: Database; keyring: Keyring; config: Config }): FastifyPluginAsyncZod {
  const { database, keyring, config } = deps;
  return async (app) => {
    app.post(
      '/enrolment',
      {
        config: { access: access.signedInPendingMfa },
        schema: {
          tags,
          summary: 'Start setting up an authenticator app',
          description:
            'Makes a new pending secret (replacing an unconfirmed one) and returns it with its otpauth URL and ' +
            'a QR code; nothing changes at sign-in until POST /enrolment/confirm. 409 when already set up.',
          response: {
            200: z.object({
              secret: z.string().describe('Base32 secret, for typing into the app by hand'),
              otpauthUrl: z.string(),
              qrSvg: z.string().describe('The otpauth URL as a QR code (SVG document)'),
            }),
            ...errorResponses(401, 403, 409),
          },
        },
      },
      async (request) => {
        const { actor } = signedInUser(request);
        return database.transaction((trx) => startTotpEnrolment(trx, keyring, actor.userId));
      },
    );

    app.post(
      '/enrolment/confirm',
      {
        config: { access: access.signedInPendingMfa },
        schema: {
          tags,
          summary: 'Finish setting up the app with a code it shows',
          description:
            'Turns on two-factor sign-in, marks this session as verified and returns ten recovery codes, once.',
          body: z.object({ code: totpCodeSchema }),
          response: { 200: recoveryCodesResponse, ...errorResponses(400, 401, 403, 409) },
        },
      },
      async (request) => {
        const recoveryCodes = await confirmTwoFactorEnrolment({
          database,
          keyring,
          actor: signedInUser(request).actor,
          code: request.body.code,
          context: originOf(request),
        });
        return { recoveryCodes };
      },
    );

    app.post(
      '/challenge',
      {
        config: { access: access.signedInPendingMfa },
        schema: {
          tags,
          summary: 'Pass the second factor for this session',
          description:
            'Send either the current app code or an unused recovery code. Wrong codes are counted per person ' +
            'and lock further attempts for a while (429 with Retry-After).',
          body: challengeBody,
          response: { 204: z.null(), ...errorResponses(400, 401, 403, 409, 429) },
        },
      },
      async (request, reply) => {
        await withRetryAfter(
          reply,
          passTwoFactorChallenge({
            database,
            keyring,
            actor: signedInUser(request).actor,
            signIn: config.signIn,
            proof: request.body,
            context: originOf(request),
          }),
        );
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/recovery-codes',
      {
        config: { access: access.signedIn },
        schema: {
          tags,
          summary: 'Replace the recovery codes',
          description: 'Voids every earlier recovery code. Needs the current app code even in a verified session.',
          body: z.object({ code: totpCodeSchema }),
          response: { 200: recoveryCodesResponse, ...errorResponses(400, 401, 403, 409, 429) },
        },
      },
      async (request, reply) => {
        const recoveryCodes = await withRetryAfter(
          reply,
          regenerateRecoveryCodes({
            database,
            keyring,
            actor: signedInUser(request).actor,
            signIn: config.signIn,
            code: request.body.code,
            context: originOf(request),
          }),
        );
        return { recoveryCodes };
      },
    );
  };
}
