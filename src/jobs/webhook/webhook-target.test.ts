import { describe, expect, it } from 'vitest';
import { resolveWebhookTarget, webhookRegistrationProblem, WebhookTargetError, type ResolveHost } from './webhook-target.js';

const strict = { allowHttp: false, allowPrivate: false };
const answers =
  (table: Record<string, string[]>): ResolveHost =>
  async (host) => {
    const found = table[host];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return found.map((address) => ({ address, family: address.includes(':') ? (6 as const) : (4 as const) }));
  };

describe('resolveWebhookTarget', () => {
  const resolve = answers({
    'hooks.example.org': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
    'metadata.example.org': ['169.254.169.254'],
    'mixed.example.org': ['93.184.216.34', '10.0.0.7'],
    'mapped.example.org': ['::ffff:127.0.0.1'],
    'ula.example.org': ['fd00::5'],
    'nothing.example.org': [],
  });

  it('gives the first address of a name whose every address is public', async () => {
    await expect(resolveWebhookTarget('https://hooks.example.org/vigia', strict, resolve)).resolves.toMatchObject({ target: { address: '93.184.216.34', family: 4 } });
  });

  it('uses an IP address as written, without asking the resolver', async () => {
    const target = await resolveWebhookTarget('https://[2606:4700:4700::1111]/x', strict, async () => {
      throw new Error('not asked');
    });
    expect(target.target).toEqual({ address: '2606:4700:4700::1111', family: 6 });
  });

  it.each([
    ['https://metadata.example.org/', /metadata\.example\.org resolves to 169\.254\.169\.254, a link-local address/],
    ['https://mixed.example.org/', /resolves to 10\.0\.0\.7, a private network address/],
    ['https://mapped.example.org/', /resolves to ::ffff:127\.0\.0\.1, a loopback address/],
    ['https://ula.example.org/', /private network/],
    ['https://nothing.example.org/', /resolves to no address/],
    ['https://2130706433/', /loopback/],
  ])('refuses %s', async (url, problem) => {
    const refusal = resolveWebhookTarget(url, strict, resolve);
    await expect(refusal).rejects.toBeInstanceOf(WebhookTargetError);
    await expect(refusal).rejects.toThrow(problem);
  });

  it('lets an operator allow inside addresses', async () => {
    await expect(resolveWebhookTarget('https://ula.example.org/', { allowHttp: false, allowPrivate: true }, resolve)).resolves.toMatchObject({ target: { address: 'fd00::5' } });
  });

  it('at registration, accepts a name that does not resolve yet (every delivery checks again) but not one that resolves inside', async () => {
    expect(await webhookRegistrationProblem('https://not-yet.example.org/', strict, resolve)).toBeNull();
    expect(await webhookRegistrationProblem('https://metadata.example.org/', strict, resolve)).toMatch(/link-local/);
    await expect(webhookRegistrationProblem('https://hooks.example.org/', strict, async () => Promise.reject(new Error('resolver crashed')))).rejects.toThrow('resolver crashed');
  });
});
