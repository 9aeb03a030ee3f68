import { sql, type Kysely } from 'kysely';
import type { DB, Role } from '../db/schema.js';
import { AppError } from '../server/errors.js';
import { randomSecret, sha256Hex } from './secrets.js';

/*
 * Invitations bring a person into an organization with one role. The e-mailed link carries a random
 * token; the database keeps only its SHA-256, so a leaked table cannot be used to join anything. A
 * token works once, until it expires or an administrator revokes it.
 */

/** How long an invitation link works: long enough to be read after a weekend, short enough to go stale. */
export const INVITATION_LIFETIME_DAYS = 7;

/** A new invitation token (for the link) and the hash to store. */
export function newInvitationToken(): { token: string; tokenHash: string } {
  const token = randomSecret();
  return { token, tokenHash: sha256Hex(token) };
}

/**
 * The one answer for an invitation link that does not work, whatever the reason (never issued,
 * expired, used, revoked), so that the answer tells a guesser nothing.
 */
export function invitationNotFound(): AppError {
  return new AppError('NOT_FOUND', 'This invitation link does not work: it may have expired, been used or been withdrawn.');
}

/** Where an invitation stands, derived from its timestamps (and the database's clock). */
export type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

/** An invitation as listed for an organization's administrators. */
export interface InvitationSummary {
  id: string;
  email: string;
  role: Role;
  status: InvitationStatus;
  invitedBy: string | null;
  createdAt: Date;
  expiresAt: Date;
  acceptedAt: Date | null;
  revokedAt: Date | null;
}

const statusExpression = sql<InvitationStatus>`case
  when accepted_at is not null then 'accepted'
  when revoked_at is not null then 'revoked'
  when expires_at <= now() then 'expired'
  else 'pending' end`;

/** An organization's invitations, newest first. */
export async function listInvitations(db: Kysely<DB>, organizationId: string): Promise<InvitationSummary[]> {
  const rows = await db
    .selectFrom('invitations')
    .select([
      'id',
      'email',
      'role',
      'invited_by',
      'created_at',
      'expires_at',
      'accepted_at',
      'revoked_at',
      statusExpression.as('status'),
    ])
    .where('organization_id', '=', organizationId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    email: row.email,
    role: row.role,
    status: row.status,
    invitedBy: row.invited_by,
    createdAt: row.created_at,
    expiresAt: new Date(row.expires_at),
    acceptedAt: row.accepted_at,
    revokedAt: row.revoked_at,
  }));
}

/** What the person holding a working invitation link may see before accepting it. */
export interface UsableInvitation {
  id: string;
  organizationId: string;
  organizationName: string;
  email: string;
  role: Role;
  invitedBy: string | null;
  expiresAt: Date;
}

/**
 * The invitation a token opens, when it still works: not expired, used or revoked, for an organization
 * that is not archived. `forUpdate` locks it, so that of two accepts racing on one token only one
 * proceeds and the other finds it used.
 */
export async function findUsableInvitation(
  db: Kysely<DB>,
  token: string,
  options: { forUpdate?: boolean } = {},
): Promise<UsableInvitation | undefined> {
  const row = await db
    .selectFrom('invitations')
    .innerJoin('organizations', 'organizations.id', 'invitations.organization_id')
    .select([
      'invitations.id',
      'invitations.organization_id',
      'organizations.name as organization_name',
      'invitations.email',
      'invitations.role',
      'invitations.invited_by',
      'invitations.expires_at',
    ])
    .where('invitations.token_hash', '=', sha256Hex(token))
    .where('invitations.accepted_at', 'is', null)
    .where('invitations.revoked_at', 'is', null)
    .where('invitations.expires_at', '>', sql<Date>`now()`)
    .where('organizations.archived_at', 'is', null)
    .$if(options.forUpdate === true, (query) => query.forUpdate('invitations'))
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    organizationId: row.organization_id,
    organizationName: row.organization_name,
    email: row.email,
    role: row.role,
    invitedBy: row.invited_by,
    expiresAt: new Date(row.expires_at),
  };
}
