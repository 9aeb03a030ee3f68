import { createSession } from '../src/auth/sessions.js';
import type { Database } from '../src/db/client.js';
import { testConfig } from './config.js';

/**
 * The headers a signed-in browser sends (session cookie and CSRF token), for a session created directly
 * with the second factor passed: for API tests that are about something other than signing in.
 */
export async function sessionHeaders(database: Database, userId: string): Promise<Record<string, string>> {
  const session = await database.transaction((trx) =>
    createSession(trx, { userId, mfaVerified: true, ip: null, userAgent: null, config: testConfig() }),
  );
  return { cookie: `vigia_session=${session.token}`, 'x-csrf-token': session.csrfToken };
}
