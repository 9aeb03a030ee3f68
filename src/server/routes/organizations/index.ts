import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { addNetworkMember } from '../../../commands/add-network-member.js';
import { createApiToken } from '../../../commands/create-api-token.js';
import { createOrganization } from '../../../commands/create-organization.js';
import { authorizeOrganization } from '../../../commands/organization-access.js';
import { removeNetworkMember } from '../../../commands/remove-network-member.js';
import { revokeApiToken } from '../../../commands/revoke-api-token.js';
import { setMemberRoles } from '../../../commands/set-member-roles.js';
import { updateOrganization } from '../../../commands/update-organization.js';
import type { Database } from '../../../db/client.js';
import {
  listApiTokens,
  listMembers,
  listOrganizations,
  networksOf,
} from '../../../db/repositories/organization.repository.js';
import { access } from '../../../policies/access.js';
import { ROLES } from '../../../policies/actor.js';
import { visibleOrganizationIds } from '../../../policies/organization.policy.js';
import { API_TOKEN_PERMISSIONS } from '../../../policies/permissions.js';
import {
  apiTokenSchema,
  memberSchema,
  organizationDetailsSchema,
  organizationSchema,
  presentApiToken,
  presentMember,
  presentOrganization,
  presentOrganizationDetails,
} from '../../../presenters/organization.presenter.js';
import { originOf } from '../auth/request.js';
import { errorResponses } from '../schemas.js';

const tags = ['organizations'];

const organizationParams = z.object({ id: z.uuid({ error: 'must be an organization id (uuid)' }) });
const memberParams = organizationParams.extend({ userId: z.uuid({ error: 'must be a user id (uuid)' }) });
const tokenParams = organizationParams.extend({ tokenId: z.uuid({ error: 'must be an API token id (uuid)' }) });
const networkMemberParams = z.object({
  networkId: z.uuid({ error: 'must be a network id (uuid)' }),
  organizationId: z.uuid({ error: 'must be an organization id (uuid)' }),
});

const createBody = z
  .object({
    slug: z
      .string()
      .min(2)
      .max(63)
      .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lower-case letters and digits separated by single hyphens'),
    name: z.string().trim().min(2).max(200),
    kind: z.enum(['shelter', 'organization', 'network']),
    stateCode: z.string().regex(/^\d{2}$/, 'must be a two-digit INEGI state code such as "07"').nullable().optional(),
  })
  .strict();

const updateBody = z
  .object({ name: z.string().trim().min(2).max(200).optional(), shareWithNetworksByDefault: z.boolean().optional() })
  .strict();

const rolesBody = z
  .object({ roles: z.array(z.enum(ROLES as ['reporter', 'documenter', 'reviewer', 'administrator'])).max(ROLES.length) })
  .strict();

const tokenBody = z
  .object({
    name: z.string().trim().min(1).max(120),
    permissions: z.array(z.enum(API_TOKEN_PERMISSIONS)).min(1, 'must name at least one permission'),
  })
  .strict();

/**
 * Organizations and networks, their people's roles, their network members and their API tokens.
 * Mounted at /api/v1/organizations. Handlers authorize through the organization policy: a record the
 * caller may not see answers 404, a visible one with a forbidden action 403.
 */
export function organizationRoutes(deps: { database: Database }): FastifyPluginAsyncZod {
  const { database } = deps;
  const { db } = database;
  return async (app) => {
    app.get(
      '/',
      {
        config: { access: access.signedIn },
        schema: {
          tags,
          summary: 'The organizations the caller belongs to (instance administrators: all)',
          response: { 200: z.object({ data: z.array(organizationSchema) }), ...errorResponses(401, 403) },
        },
      },
      async (request) => {
        const { actor } = request;
        const all = actor.kind === 'user' && actor.isInstanceAdmin;
        const candidateIds = all ? undefined : actor.kind === 'user' ? actor.memberships.map((m) => m.organizationId) : [];
        const rows = await listOrganizations(db, candidateIds);
        const visible = new Set(visibleOrganizationIds(actor, rows.map((r) => r.id)));
        const shown = rows.filter((r) => visible.has(r.id));
        const networks = await networksOf(db, shown.map((r) => r.id));
        return { data: shown.map((row) => presentOrganization(row, networks.get(row.id) ?? [])) };
      },
    );

    app.post(
      '/',
      {
        config: { access: access.instanceAdmin },
        schema: {
          tags,
          summary: 'Creates a shelter, organization or network',
          body: createBody,
          response: { 201: organizationDetailsSchema, ...errorResponses(400, 401, 403, 409) },
        },
      },
      async (request, reply) => {
        const { slug, name, kind, stateCode } = request.body;
        const row = await createOrganization({
          database,
          actor: request.actor,
          slug,
          name,
          kind,
          stateCode: stateCode ?? null,
          context: originOf(request),
        });
        return reply.code(201).send(presentOrganizationDetails(row, []));
      },
    );

    app.get(
      '/:id',
      {
        config: { access: access.signedIn },
        schema: {
          tags,
          summary: 'An organization with its settings (its members and instance administrators)',
          params: organizationParams,
          response: { 200: organizationDetailsSchema, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => {
        const row = await authorizeOrganization(db, request.actor, 'read', request.params.id);
        const networks = await networksOf(db, [row.id]);
        return presentOrganizationDetails(row, networks.get(row.id) ?? []);
      },
    );

    app.patch(
      '/:id',
      {
        config: { access: access.signedIn },
        schema: {
          tags,
          summary: "Changes an organization's name or sharing default (its administrators)",
          params: organizationParams,
          body: updateBody,
          response: { 200: organizationDetailsSchema, ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => {
        const row = await updateOrganization({
          database,
          actor: request.actor,
          organizationId: request.params.id,
          ...request.body,
          context: originOf(request),
        });
        const networks = await networksOf(db, [row.id]);
        return presentOrganizationDetails(row, networks.get(row.id) ?? []);
      },
    );

    app.get(
      '/:id/members',
      {
        config: { access: access.signedIn },
        schema: {
          tags,
          summary: "An organization's people and their roles (its administrators)",
          params: organizationParams,
          response: { 200: z.object({ data: z.array(memberSchema) }), ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => {
        await authorizeOrganization(db, request.actor, 'manage_members', request.params.id);
        return { data: (await listMembers(db, request.params.id)).map(presentMember) };
      },
    );

    app.put(
      '/:id/members/:userId/roles',
      {
        config: { access: access.signedIn },
        schema: {
          tags,
          summary: "Sets a person's roles in the organization; [] removes them (its administrators)",
          description: 'Refused with 409 when it would leave the organization without an administrator.',
          params: memberParams,
          body: rolesBody,
          response: {
            200: z.object({ userId: z.uuid(), roles: rolesBody.shape.roles }),
            ...errorResponses(400, 401, 403, 404, 409),
          },
        },
      },
      async (request) => {
        const roles = await setMemberRoles({
          database,
          actor: request.actor,
          organizationId: request.params.id,
          userId: request.params.userId,
          roles: request.body.roles,
          context: originOf(request),
        });
        return { userId: request.params.userId, roles };
      },
    );

    const networkMemberRoute = {
      config: { access: access.signedIn },
      schema: {
        tags,
        params: networkMemberParams,
        response: { 204: z.null(), ...errorResponses(400, 401, 403, 404, 409) },
      },
    };

    app.put(
      '/:networkId/member-organizations/:organizationId',
      {
        ...networkMemberRoute,
        schema: { ...networkMemberRoute.schema, summary: 'Adds an organization to a network (its administrators)' },
      },
      async (request, reply) => {
        await addNetworkMember({ database, actor: request.actor, ...request.params, context: originOf(request) });
        return reply.code(204).send(null);
      },
    );

    app.delete(
      '/:networkId/member-organizations/:organizationId',
      {
        ...networkMemberRoute,
        schema: { ...networkMemberRoute.schema, summary: 'Removes an organization from a network (its administrators)' },
      },
      async (request, reply) => {
        await removeNetworkMember({ database, actor: request.actor, ...request.params, context: originOf(request) });
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/:id/api-tokens',
      {
        config: { access: access.signedIn },
        schema: {
          tags,
          summary: "An organization's API tokens, revoked ones included (its administrators)",
          params: organizationParams,
          response: { 200: z.object({ data: z.array(apiTokenSchema) }), ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request) => {
        await authorizeOrganization(db, request.actor, 'manage_api_tokens', request.params.id);
        return { data: (await listApiTokens(db, request.params.id)).map(presentApiToken) };
      },
    );

    app.post(
      '/:id/api-tokens',
      {
        config: { access: access.signedIn },
        schema: {
          tags,
          summary: 'Creates an API token; its secret is in this answer and never again (its administrators)',
          params: organizationParams,
          body: tokenBody,
          response: {
            201: z.object({ token: apiTokenSchema.pick({ id: true, name: true, permissions: true, createdAt: true }), secret: z.string() }),
            ...errorResponses(400, 401, 403, 404),
          },
        },
      },
      async (request, reply) => {
        const { token, secret } = await createApiToken({
          database,
          actor: request.actor,
          organizationId: request.params.id,
          name: request.body.name,
          permissions: request.body.permissions,
          context: originOf(request),
        });
        const { id, name, permissions, createdAt } = presentApiToken(token);
        return reply.code(201).send({ token: { id, name, permissions, createdAt }, secret });
      },
    );

    app.delete(
      '/:id/api-tokens/:tokenId',
      {
        config: { access: access.signedIn },
        schema: {
          tags,
          summary: 'Revokes an API token (its administrators)',
          params: tokenParams,
          response: { 204: z.null(), ...errorResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        await revokeApiToken({
          database,
          actor: request.actor,
          organizationId: request.params.id,
          tokenId: request.params.tokenId,
          context: originOf(request),
        });
        return reply.code(204).send(null);
      },
    );
  };
}
