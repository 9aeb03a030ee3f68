import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { hashPassword } from '../src/auth/passwords.js';
import { sealTotpSecret } from '../src/auth/totp.js';
import type { Database } from '../src/db/client.js';
import type { Role } from '../src/db/schema.js';
import { testKeyring } from './config.js';

/** A password that passes the policy, for tests that do not care which. */
export const TEST_PASSWORD = 'correct horse battery staple';

/** A person created by `createUser`, with the password to sign in with. */
export interface TestUser {
  id: string;
  email: string;
  password: string;
  displayName: string;
}

/**
 * Inserts a person who can sign in (argon2id hash of `password`), with roles per organization and,
 * given a `totpSecret`, an enrolled second factor (sealed under the test master key, as the server stores it). The e-mail is unique per call unless given.
 */
export async function createUser(
  database: Database,
  options: {
    email?: string;
    password?: string;
    displayName?: string;
    isInstanceAdmin?: boolean;
    memberships?: ReadonlyArray<{ organizationId: string; roles: readonly Role[] }>;
    totpSecret?: string;
  } = {},
): Promise<TestUser> {
  const email = (options.email ?? `persona-${randomUUID()}@test.vigia.local`).toLowerCase();
  const password = options.password ?? TEST_PASSWORD;
  const displayName = options.displayName ?? 'Persona de prueba';
  const { id } = await database.db
    .insertInto('users')
    .values({
      email,
      display_name: displayName,
      password_hash: await hashPassword(password),
      is_instance_admin: options.isInstanceAdmin ?? false,
      totp_enabled_at: options.totpSecret ? new Date() : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (options.totpSecret) {
    await database.db.updateTable('users').set({ totp_secret: sealTotpSecret(testKeyring(), id, options.totpSecret) }).where('id', '=', id).execute();
  }
  const rows = (options.memberships ?? []).flatMap(({ organizationId, roles }) =>
    roles.map((role) => ({ user_id: id, organization_id: organizationId, role })),
  );
  if (rows.length > 0) await database.db.insertInto('memberships').values(rows).execute();
  return { id, email, password, displayName };
}

/** The `cookie` header value a signed-in browser sends, taken from a response's Set-Cookie. */
export function sessionCookieFrom(setCookie: string | string[] | undefined): string {
  const cookies = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  const session = cookies.find((c) => c.startsWith('vigia_session='));
  if (!session) throw new Error('the response set no vigia_session cookie');
  return session.split(';')[0]!;
}

/**
 * Signs in through the API and returns what a browser then sends: the cookie header and the CSRF
 * token (from GET /api/v1/auth/session). Throws with the answer when sign-in fails.
 */
export async function signIn(
  app: FastifyInstance,
  email: string,
  password: string,
): Promise<{ cookie: string; csrfToken: string }> {
  const response = await app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email, password } });
  if (response.statusCode !== 200) throw new Error(`sign-in failed: ${response.statusCode} ${response.body}`);
  const cookie = sessionCookieFrom(response.headers['set-cookie']);
  const session = await app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie } });
  if (session.statusCode !== 200) throw new Error(`session failed: ${session.statusCode} ${session.body}`);
  return { cookie, csrfToken: (session.json() as { csrfToken: string }).csrfToken };
}
