import { CATEGORY_DESCRIPTIONS, categoryAllowed, classifyParsed, parseIpAddress } from './network-address.js';

/*
 * Which webhook URLs the server will POST to. Checked when an administrator registers an endpoint and
 * again, with a fresh name resolution, before every delivery (src/jobs/webhook/webhook-target.ts), so
 * that a name pointed at an inside address after registration (DNS rebinding) reaches nothing.
 */

/** What the operator allows beyond https to public addresses (VIGIA_WEBHOOK_ALLOW_HTTP, VIGIA_WEBHOOK_ALLOW_PRIVATE). */
export interface WebhookTargetPolicy {
  readonly allowHttp: boolean;
  readonly allowPrivate: boolean;
}

export type WebhookUrlCheck = { ok: true; url: URL } | { ok: false; problem: string };

/**
 * The checks that need no network: a parsable absolute URL, https (http only when allowed), no user
 * name or password in it, and a host that, if it is an IP address in any spelling (`2130706433`,
 * `0x7f.1`, `[::ffff:127.0.0.1]`), is an allowed one. A host name is resolved and checked elsewhere.
 */
export function checkWebhookUrl(text: string, policy: WebhookTargetPolicy): WebhookUrlCheck {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, problem: 'must be an absolute URL such as https://hooks.example.org/vigia' };
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowHttp)) {
    return { ok: false, problem: policy.allowHttp ? 'must be an http or https URL' : 'must be an https URL (this instance does not send webhooks over plain http)' };
  }
  if (url.username !== '' || url.password !== '') {
    return { ok: false, problem: 'must not contain a user name or password: authenticate deliveries by their signature instead' };
  }
  if (url.hostname === '') return { ok: false, problem: 'must name a host' };
  const literal = parseIpAddress(url.hostname);
  if (literal) {
    const problem = addressProblem(url.hostname, url.hostname, policy);
    if (problem) return { ok: false, problem };
  }
  return { ok: true, url };
}

/**
 * Why the server may not connect to `address` (what `host` is or resolves to), or null when it may.
 * The message names the address and what kind it is.
 */
export function addressProblem(host: string, address: string, policy: WebhookTargetPolicy): string | null {
  const parsed = parseIpAddress(address);
  if (!parsed) return `resolves to ${JSON.stringify(address)}, which is not an IP address`;
  const category = classifyParsed(parsed);
  if (categoryAllowed(category, policy.allowPrivate)) return null;
  const where = host === address ? `${host} is` : `${host} resolves to ${address},`;
  return `must reach a public internet address: ${where} ${CATEGORY_DESCRIPTIONS[category]}`;
}
