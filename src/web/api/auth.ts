import { apiRequest } from './client';

/*
 * The people-and-access endpoints the browser app uses, typed after the server's response schemas
 * (src/presenters/session.presenter.ts, invitation.presenter.ts, src/server/routes/auth/*.ts).
 */

export type Role = 'reporter' | 'documenter' | 'reviewer' | 'administrator';
export type OrganizationKind = 'shelter' | 'organization' | 'network';
/** What sign-in still needs: nothing, the code of an enrolled app, or setting one up. */
export type MfaStep = 'none' | 'challenge' | 'enrol';

export interface SignedInUser {
  id: string;
  email: string;
  displayName: string;
}

export interface CurrentSession {
  user: SignedInUser & { isInstanceAdmin: boolean };
  memberships: Array<{
    organization: { id: string; slug: string; name: string; kind: OrganizationKind };
    roles: Role[];
  }>;
  csrfToken: string;
  mfa: { required: boolean; enrolled: boolean; verified: boolean };
}

export interface SessionSummary {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

export interface InvitationLookup {
  organization: { name: string };
  role: Role;
  email: string;
  expiresAt: string;
}

export interface AcceptedInvitation {
  user: SignedInUser;
  organization: { id: string; name: string };
  role: Role;
  mfa: MfaStep;
}

export interface Enrolment {
  secret: string;
  otpauthUrl: string;
  qrSvg: string;
}

export const authApi = {
  session: (signal?: AbortSignal) => apiRequest<CurrentSession>('/auth/session', { signal }),
  signIn: (email: string, password: string) =>
    apiRequest<{ user: SignedInUser; mfa: MfaStep }>('/auth/sign-in', { method: 'POST', body: { email, password } }),
  signOut: () => apiRequest<void>('/auth/sign-out', { method: 'POST' }),
  changePassword: (currentPassword: string, newPassword: string) =>
    apiRequest<void>('/auth/password', { method: 'PUT', body: { currentPassword, newPassword } }),

  sessions: (signal?: AbortSignal) => apiRequest<{ data: SessionSummary[] }>('/auth/sessions', { signal }),
  revokeSession: (id: string) => apiRequest<void>(`/auth/sessions/${encodeURIComponent(id)}`, { method: 'DELETE' }),
  revokeOtherSessions: () => apiRequest<{ revoked: number }>('/auth/sessions/revoke-others', { method: 'POST' }),

  startEnrolment: () => apiRequest<Enrolment>('/auth/two-factor/enrolment', { method: 'POST' }),
  confirmEnrolment: (code: string) =>
    apiRequest<{ recoveryCodes: string[] }>('/auth/two-factor/enrolment/confirm', { method: 'POST', body: { code } }),
  challenge: (proof: { code: string } | { recoveryCode: string }) =>
    apiRequest<void>('/auth/two-factor/challenge', { method: 'POST', body: proof }),

  requestPasswordReset: (email: string) =>
    apiRequest<{ message: string }>('/auth/password-reset', { method: 'POST', body: { email } }),
  completePasswordReset: (token: string, password: string) =>
    apiRequest<void>(`/auth/password-reset/${encodeURIComponent(token)}`, { method: 'POST', body: { password } }),

  invitation: (token: string, signal?: AbortSignal) =>
    apiRequest<InvitationLookup>(`/invitations/${encodeURIComponent(token)}`, { signal }),
  acceptInvitation: (token: string, body: { displayName?: string; password?: string }) =>
    apiRequest<AcceptedInvitation>(`/invitations/${encodeURIComponent(token)}/accept`, { method: 'POST', body }),
};
