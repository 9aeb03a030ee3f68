import { createSession } from '../src/auth/sessions.js';
import type { Database } from '../src/db/client.js';
import { testConfig } from './config.js';

/**
 * A session created directly with the second factor passed, as its token and CSRF token: for tests
 * that are about something other than signing in (a browser gets the token as its cookie).
 */
export async function testSession(database: Database, userId: string): Promise<{ token: string; csrf: string }> {
  const session = await database.transaction((trx) =>
    createSession(trx, { userId, mfaVerified: true, ip: null, userAgent: null, config: testConfig() }),
  );
  return { token: session.token, csrf: session.csrfToken };
}

/** The headers a signed-in browser sends (session cookie and CSRF token), for API tests. */
export async function sessionHeaders(database: Database, userId: string): Promise<Record<string, string>> {
  const session = await testSession(database, userId);
  return { cookie: `vigia_session=${session.token}`, 'x-csrf-token': session.csrf };
}
