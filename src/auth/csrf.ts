import { secretsEqual } from './secrets.js';

/** Methods that change nothing, so a forged cross-site request gains nothing and needs no CSRF token. */
const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The header a cookie-authenticated request repeats its session's CSRF token in. */
export const CSRF_HEADER = 'x-csrf-token';

/** Whether a request with this method must carry the CSRF token when authenticated by cookie. */
export function needsCsrfToken(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

/** Whether the presented header matches the session's token, compared in constant time. */
export function csrfTokenMatches(sessionToken: string, presented: string | string[] | undefined): boolean {
  if (typeof presented !== 'string' || presented.length === 0) return false;
  return secretsEqual(sessionToken, presented);
}
