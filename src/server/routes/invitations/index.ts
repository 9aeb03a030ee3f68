import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { findUsableInvitation, invitationNotFound, listInvitations } from '../../../auth/invitations.js';
import { acceptInvitation } from '../../../commands/accept-invitation.js';
import { createInvitation } from '../../../commands/create-invitation.js';
import { authorizeOrganization } from '../../../commands/organization-access.js';
import { revokeInvitation } from '../../../commands/revoke-invitation.js';
import type { Database } from '../../../db/client.js';
import { createJobRegistry } from '../../../jobs/run.js';
import { access } from '../../../policies/access.js';
import { ROLES } from '../../../policies/actor.js';
import {
  acceptedInvitationSchema,
  createdInvitationSchema,
  invitationLookupSchema,
  invitationSummarySchema,
  presentAcceptedInvitation,
  presentCreatedInvitation,
  presentInvitationLookup,
  presentInvitationSummary,
} from '../../../presenters/invitation.presenter.js';
import type { Config } from '../../config.js';
import { presentedSessionToken, setSessionCookie } from '../../plugins/authentication.js';
import { originOf } from '../auth/request.js';
import { errorResponses } from '../schemas.js';

const tags = ['invitations'];

const organizationParams = z.object({ id: z.string().max(64) });
const invitationParams = organizationParams.extend({ invitationId: z.string().max(64) });
// Tokens are 43 base64url characters; anything else cannot be one, and is answered like an unknown token.
const tokenParams = z.object({ token: z.string().max(128) });

const createBody = z.object({
  email: z.email({ error: 'must be an e-mail address' }).max(320),
  role: z.enum(ROLES as ['reporter', 'documenter', 'reviewer', 'administrator'], {
    error: `must be one of ${ROLES.join(', ')}`,
  }),
});

// Optional here because a person who already has an account accepts without them; the command
// demands both (naming the missing field) when it has to create the account.
const acceptBody = z.object({
  displayName: z.string().max(1024).optional(),
  password: z.string().max(1024).optional(),
});

/**
 * Invitations: organization administrators invite people by e-mail (under /organizations/:id), and
 * the invited person looks at and accepts the link without an account (under /invitations/:token).
 * Mounted at /api/v1.
 */
export function invitationRoutes(deps: { database: Database; config: Config }): FastifyPluginAsyncZod {
  const { database, config } = deps;
  const jobs = createJobRegistry(config);
  return async (app) => {
    app.post(
      '/organizations/:id/invitations',
      {
        config: { access: access.signedIn },
        schema: {
          tags,
          summary: 'Invites a person by e-mail to the organization in one role (its administrators)',
          description:
            'Sends a bilingual e-mail with a single-use link that works for 7 days. A newer invitation to the ' +
            'same address withdraws the older one.',
          params: organizationParams,
          body: createBody,
          response: { 201: createdInvitationSchema, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const created = await createInvitation({
          database,
          config,
          jobs,
          actor: request.actor,
          organizationId: request.params.id,
          email: request.body.email,
          role: request.body.role,
          context: originOf(request),
        });
        return reply.code(201).send(presentCreatedInvitation(created));
      },
    );

    app.get(
      '/organizations/:id/invitations',
      {
        config: { access: access.signedIn },
        schema: {
          tags,
          summary: "The organization's invitations, newest first, with their status (its administrators)",
          params: organizationParams,
          response: { 200: z.object({ data: z.array(invitationSummarySchema) }), ...errorResponses(401, 403, 404) },
        },
      },
      async (request) => {
        const organization = await authorizeOrganization(database.db, request.actor, 'manage_members', request.params.id);
        return { data: (await listInvitations(database.db, organization.id)).map(presentInvitationSummary) };
      },
    );

    app.delete(
      '/organizations/:id/invitations/:invitationId',
      {
        config: { access: access.signedIn },
        schema: {
          tags,
          summary: 'Withdraws a pending invitation, so its link stops working (its administrators)',
          params: invitationParams,
          response: { 204: z.null(), ...errorResponses(401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        await revokeInvitation({
          database,
          actor: request.actor,
          organizationId: request.params.id,
          invitationId: request.params.invitationId,
          context: originOf(request),
        });
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/invitations/:token',
      {
        config: { access: access.public },
        schema: {
          tags,
          summary: 'What an invitation link offers: the organization, the role, the address and the expiry',
          description: 'One 404 for every link that does not work (unknown, expired, used or withdrawn).',
          params: tokenParams,
          response: { 200: invitationLookupSchema, ...errorResponses(404) },
        },
      },
      async (request) => {
        const invitation = await findUsableInvitation(database.db, request.params.token);
        if (!invitation) throw invitationNotFound();
        return presentInvitationLookup(invitation);
      },
    );

    app.post(
      '/invitations/:token/accept',
      {
        config: { access: access.public },
        schema: {
          tags,
          summary: 'Accepts an invitation: creates the account and signs it in, or adds the role to the signed-in account',
          description:
            'For an address without an account, displayName and password are required and a session cookie is ' +
            'set. For an address with an account, the caller must be signed in as it (401 otherwise, 403 when ' +
            'signed in as someone else).',
          params: tokenParams,
          body: acceptBody,
          response: { 200: acceptedInvitationSchema, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        const accepted = await acceptInvitation({
          database,
          config,
          actor: request.actor,
          token: request.params.token,
          displayName: request.body.displayName,
          password: request.body.password,
          origin: originOf(request),
          presentedToken: presentedSessionToken(request),
        });
        if (accepted.session) setSessionCookie(reply, accepted.session.token, config);
        return presentAcceptedInvitation(accepted);
      },
    );
  };
}
