import type { OrganizationKind, Role } from './auth';
import { apiRequest } from './client';

/*
 * Organization administration and the audit viewer, typed after the server's response schemas
 * (src/presenters/organization.presenter.ts, invitation.presenter.ts, audit-entry.presenter.ts).
 */

/** What an API token may be allowed to do (src/policies/permissions.ts): a closed list. */
export const API_TOKEN_PERMISSIONS = ['incidents:read', 'incidents:write', 'reports:write', 'export:read'] as const;
export type ApiTokenPermission = (typeof API_TOKEN_PERMISSIONS)[number];

/** Every role, in the order of growing responsibility (src/policies/actor.ts). */
export const ROLES: readonly Role[] = ['reporter', 'documenter', 'reviewer', 'administrator'];

export interface OrganizationSummary {
  id: string;
  slug: string;
  name: string;
  kind: OrganizationKind;
  stateCode: string | null;
  networks?: Array<{ id: string; slug: string; name: string }>;
}

export interface OrganizationDetails extends OrganizationSummary {
  municipality: string | null;
  shareWithNetworksByDefault: boolean;
  createdAt: string;
  archivedAt: string | null;
}

export interface Member {
  userId: string;
  displayName: string;
  email: string;
  roles: Role[];
}

export type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

export interface InvitationSummary {
  id: string;
  email: string;
  role: Role;
  status: InvitationStatus;
  invitedBy: string | null;
  createdAt: string;
  expiresAt: string;
  acceptedAt: string | null;
  revokedAt: string | null;
}

export interface ApiToken {
  id: string;
  name: string;
  permissions: ApiTokenPermission[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface CreatedApiToken {
  token: Pick<ApiToken, 'id' | 'name' | 'permissions' | 'createdAt'>;
  /** Shown in this answer and never again. */
  secret: string;
}

export interface AuditEntry {
  seq: number;
  occurredAt: string;
  actorType: 'user' | 'api_token' | 'anonymous' | 'system';
  actorId: string | null;
  organizationId: string | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  requestId: string | null;
  /** Only for instance administrators. */
  ip?: string | null;
  userAgent?: string | null;
  details: Record<string, unknown>;
  hash: string;
}

/** The audit viewer's filters as the API takes them: from and to are ISO date-times (to exclusive). */
export interface AuditFilters {
  action?: string;
  actorId?: string;
  from?: string;
  to?: string;
}

const org = (id: string) => `/organizations/${encodeURIComponent(id)}`;

export const organizationsApi = {
  list: (signal?: AbortSignal) => apiRequest<{ data: OrganizationSummary[] }>('/organizations', { signal }),
  get: (id: string, signal?: AbortSignal) => apiRequest<OrganizationDetails>(org(id), { signal }),
  update: (id: string, changes: { name?: string; shareWithNetworksByDefault?: boolean }) =>
    apiRequest<OrganizationDetails>(org(id), { method: 'PATCH', body: changes }),

  members: (id: string, signal?: AbortSignal) => apiRequest<{ data: Member[] }>(`${org(id)}/members`, { signal }),
  setRoles: (id: string, userId: string, roles: Role[]) =>
    apiRequest<{ userId: string; roles: Role[] }>(`${org(id)}/members/${encodeURIComponent(userId)}/roles`, {
      method: 'PUT',
      body: { roles },
    }),

  invitations: (id: string, signal?: AbortSignal) =>
    apiRequest<{ data: InvitationSummary[] }>(`${org(id)}/invitations`, { signal }),
  invite: (id: string, email: string, role: Role) =>
    apiRequest<{ id: string; email: string; role: Role; expiresAt: string }>(`${org(id)}/invitations`, {
      method: 'POST',
      body: { email, role },
    }),
  revokeInvitation: (id: string, invitationId: string) =>
    apiRequest<void>(`${org(id)}/invitations/${encodeURIComponent(invitationId)}`, { method: 'DELETE' }),

  apiTokens: (id: string, signal?: AbortSignal) => apiRequest<{ data: ApiToken[] }>(`${org(id)}/api-tokens`, { signal }),
  createApiToken: (id: string, name: string, permissions: ApiTokenPermission[]) =>
    apiRequest<CreatedApiToken>(`${org(id)}/api-tokens`, { method: 'POST', body: { name, permissions } }),
  revokeApiToken: (id: string, tokenId: string) =>
    apiRequest<void>(`${org(id)}/api-tokens/${encodeURIComponent(tokenId)}`, { method: 'DELETE' }),
};

/** One attempt at delivering an event to a webhook endpoint (src/server/routes/alert-reach/schemas.ts). */
export interface WebhookDelivery {
  id: number;
  jobId: number;
  attempt: number;
  alertId: string;
  event: string;
  attemptedAt: string;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  succeeded: boolean;
}

/** A network's webhook endpoint with its latest delivery attempts, newest first. */
export interface WebhookEndpoint {
  id: string;
  url: string;
  description: string;
  active: boolean;
  createdAt: string;
  deliveries: WebhookDelivery[];
}

/** Only the answer to a registration carries the signing secret. */
export interface CreatedWebhookEndpoint {
  id: string;
  secret: string;
}

export const webhooksApi = {
  list: (id: string, signal?: AbortSignal) => apiRequest<{ data: WebhookEndpoint[] }>(`${org(id)}/webhooks`, { signal }),
  create: (id: string, url: string, description: string) =>
    apiRequest<CreatedWebhookEndpoint>(`${org(id)}/webhooks`, { method: 'POST', body: { url, description } }),
  setActive: (id: string, endpointId: string, active: boolean) =>
    apiRequest<void>(`${org(id)}/webhooks/${encodeURIComponent(endpointId)}/active`, { method: 'PUT', body: { active } }),
};

export const auditApi = {
  entries: (filters: AuditFilters, cursor: string | undefined, signal?: AbortSignal) => {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries({ ...filters, cursor })) if (value) query.set(key, value);
    const search = query.toString();
    return apiRequest<{ data: AuditEntry[]; nextCursor: string | null }>(`/audit${search ? `?${search}` : ''}`, { signal });
  },
};
