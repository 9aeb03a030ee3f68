/**
 * What an API token may be allowed to do: a closed list, so a token can never be granted a power the
 * code does not know about, and a typo in a request is refused rather than stored.
 */
export const API_TOKEN_PERMISSIONS = ['incidents:read', 'incidents:write', 'reports:write', 'export:read'] as const;

/** One permission an API token can hold. */
export type ApiTokenPermission = (typeof API_TOKEN_PERMISSIONS)[number];

/** Whether a stored or requested string is one of the known permissions. */
export function isApiTokenPermission(value: string): value is ApiTokenPermission {
  return (API_TOKEN_PERMISSIONS as readonly string[]).includes(value);
}
