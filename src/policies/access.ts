/**
 * What a route demands before its handler runs. Every route under /api/v1 must declare one in its
 * `config.access`; the app refuses to start otherwise, so a forgotten declaration can never mean
 * "open to everyone". Finer decisions about a particular record are the policies' (src/policies/*).
 *
 * - `public`: anyone, signed in or not.
 * - `signedIn`: a person with a session whose second factor is satisfied (401 without a session,
 *   403 MFA_REQUIRED while a required second factor is missing). `allowPendingMfa` lets the few routes
 *   that complete sign-in (enrolment, challenge, sign-out, own session) through before that.
 * - `signedInOrToken`: as `signedIn`, or an API token (the handler checks the token's permissions).
 * - `instanceAdmin`: a signed-in instance administrator.
 */
export type RouteAccess =
  | { kind: 'public' }
  | { kind: 'signedIn'; allowPendingMfa?: boolean }
  | { kind: 'signedInOrToken' }
  | { kind: 'instanceAdmin' };

/** Shorthands for route declarations: `config: { access: access.public }`. */
export const access = {
  public: { kind: 'public' },
  signedIn: { kind: 'signedIn' },
  signedInPendingMfa: { kind: 'signedIn', allowPendingMfa: true },
  signedInOrToken: { kind: 'signedInOrToken' },
  instanceAdmin: { kind: 'instanceAdmin' },
} as const satisfies Record<string, RouteAccess>;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}
