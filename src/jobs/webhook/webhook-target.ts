import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { parseIpAddress } from '../../domain/network-address.js';
import { addressProblem, checkWebhookUrl, type WebhookTargetPolicy } from '../../domain/webhook-url.js';

/*
 * Where a webhook request may go, decided with the network: the URL is checked (domain/webhook-url.ts),
 * its host resolved, every address it resolves to checked, and the connection then made to the address
 * that was checked — never resolved a second time by the HTTP client, so a name that answers a public
 * address to the check and a private one to the connection (DNS rebinding) gets nowhere.
 */

/** A resolved address of a host. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to all its addresses; the system resolver unless a test passes another. */
export type ResolveHost = (hostname: string) => Promise<ResolvedAddress[]>;

export const resolveWithSystem: ResolveHost = async (hostname) => {
  const found = await dns.promises.lookup(hostname, { all: true, verbatim: true });
  return found.map((entry) => ({ address: entry.address, family: entry.family === 6 ? 6 : 4 }));
};

/** A URL the server will not POST to; the message says why and names no secret. */
export class WebhookTargetError extends Error {
  override name = 'WebhookTargetError';
}

/** Errors of a resolver that mean "no such name (yet)", as opposed to a refused address. */
const NOT_RESOLVED = new Set(['ENOTFOUND', 'ENODATA', 'EAI_AGAIN', 'ESERVFAIL', 'ETIMEOUT', 'ECONNREFUSED']);

/**
 * The address to connect to for `url`: the host itself when it is an IP address (already checked),
 * otherwise the first address it resolves to, after checking that every one of them is allowed (a name
 * that answers both a public and a private address is refused: which one a client picks is the
 * attacker's choice). Throws WebhookTargetError when the URL or an address is not allowed.
 */
export async function resolveWebhookTarget(text: string, policy: WebhookTargetPolicy, resolve: ResolveHost = resolveWithSystem): Promise<{ url: URL; target: ResolvedAddress }> {
  const checked = checkWebhookUrl(text, policy);
  if (!checked.ok) throw new WebhookTargetError(checked.problem);
  const { url } = checked;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const literal = parseIpAddress(host);
  if (literal) return { url, target: { address: host, family: literal.family } };
  const addresses = await resolve(host);
  if (addresses.length === 0) throw new WebhookTargetError(`${host} resolves to no address`);
  for (const { address } of addresses) {
    const problem = addressProblem(host, address, policy);
    if (problem) throw new WebhookTargetError(problem);
  }
  return { url, target: addresses[0]! };
}

/**
 * The check made when an endpoint is registered. A name that does not resolve yet is accepted (its DNS
 * may be set up after the endpoint): every delivery resolves and checks it again anyway. Returns the
 * problem, or null.
 */
export async function webhookRegistrationProblem(text: string, policy: WebhookTargetPolicy, resolve: ResolveHost = resolveWithSystem): Promise<string | null> {
  try {
    await resolveWebhookTarget(text, policy, resolve);
    return null;
  } catch (error) {
    if (error instanceof WebhookTargetError) return error.message;
    if (NOT_RESOLVED.has((error as NodeJS.ErrnoException).code ?? '')) return null;
    throw error;
  }
}

/** What one POST got back. */
export interface PinnedResponse {
  statusCode: number;
}

/**
 * POSTs `body` to `url`, connecting only to `target` (TLS still verifies the certificate against the
 * URL's host name). Redirects are never followed: a 3xx is the answer. The response body is not read.
 */
export function postToPinnedAddress(
  url: URL,
  target: ResolvedAddress,
  request: { headers: Record<string, string>; body: string; signal: AbortSignal },
): Promise<PinnedResponse> {
  const lookup: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const outgoing = client.request(
      url,
      { method: 'POST', headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) }, lookup, signal: request.signal, agent: false },
      (response) => {
        resolve({ statusCode: response.statusCode ?? 0 });
        response.destroy();
      },
    );
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}
