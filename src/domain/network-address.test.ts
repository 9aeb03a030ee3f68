import { describe, expect, it } from 'vitest';
import { classifyAddress, parseIpAddress, type AddressCategory } from './network-address.js';
import { checkWebhookUrl } from './webhook-url.js';

const strict = { allowHttp: false, allowPrivate: false };

describe('classifyAddress', () => {
  const cases: Array<[string, AddressCategory]> = [
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.10', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'shared'],
    ['100.127.255.255', 'shared'],
    ['100.128.0.1', 'public'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'reserved'],
    ['224.0.0.251', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.10', 'documentation'],
    ['198.18.0.1', 'reserved'],
    ['93.184.216.34', 'public'],
    ['8.8.8.8', 'public'],
    // Other spellings of IPv4, as inet_aton and the URL standard read them.
    ['2130706433', 'loopback'],
    ['0177.0.0.1', 'loopback'],
    ['0x7f.0.0.1', 'loopback'],
    ['0x7f000001', 'loopback'],
    ['127.1', 'loopback'],
    ['10.1', 'private'],
    ['0', 'unspecified'],
    ['0x', 'unspecified'],
    // IPv6.
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['::', 'unspecified'],
    ['[::]', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf::1', 'link-local'],
    ['fc00::1', 'private'],
    ['fd12:3456:789a::1', 'private'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['2001:4860:4860::8888', 'public'],
    ['2606:4700:4700::1111', 'public'],
    // IPv4 inside IPv6: the IPv4 address decides.
    ['::ffff:127.0.0.1', 'loopback'],
    ['[::ffff:127.0.0.1]', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:a9fe:a9fe', 'link-local'],
    ['::ffff:0.0.0.0', 'unspecified'],
    ['::ffff:93.184.216.34', 'public'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['64:ff9b::8.8.8.8', 'public'],
    ['2002:7f00:1::', 'loopback'],
    ['2002:c0a8:101::1', 'private'],
    ['::127.0.0.1', 'reserved'],
    ['2001::1', 'reserved'],
    ['4000::1', 'reserved'],
  ];
  it.each(cases)('%s is %s', (address, category) => {
    expect(classifyAddress(address)).toBe(category);
  });

  it('reads host names and malformed text as no address', () => {
    for (const text of ['localhost', 'hooks.example.org', '256.0.0.1', '1.2.3.4.5', '08.0.0.1', '1::2::3', '::ffff:300.0.0.1', '12345::', '1:2:3:4:5:6:7:8:9', '']) {
      expect(parseIpAddress(text), text).toBeNull();
    }
    expect(() => classifyAddress('localhost')).toThrow(/Not an IP address/);
  });
});

describe('checkWebhookUrl', () => {
  const refused: Array<[string, RegExp]> = [
    ['http://hooks.example.org/', /must be an https URL/],
    ['ftp://hooks.example.org/', /must be an https URL/],
    ['not a url', /absolute URL/],
    ['https://user:secret@hooks.example.org/', /user name or password/],
    ['https://user@hooks.example.org/', /user name or password/],
    ['https://127.0.0.1/', /127\.0\.0\.1 is a loopback address/],
    ['https://2130706433/', /127\.0\.0\.1 is a loopback address/],
    ['https://0177.0.0.1/', /loopback/],
    ['https://0x7f.1/', /loopback/],
    ['https://[::1]/', /\[::1\] is a loopback address/],
    ['https://[::ffff:127.0.0.1]/', /loopback/],
    ['https://[::ffff:169.254.169.254]/', /link-local/],
    ['https://0.0.0.0/', /unspecified/],
    ['https://169.254.169.254/latest/meta-data/', /link-local/],
    ['https://192.168.0.1:8443/', /private network/],
    ['https://100.100.100.100/', /carrier-grade NAT/],
    ['https://[fe80::1]/', /link-local/],
    ['https://[fd00::1]/', /private network/],
    ['https://224.0.0.1/', /multicast/],
  ];
  it.each(refused)('refuses %s', (url, problem) => {
    const checked = checkWebhookUrl(url, strict);
    expect(checked.ok).toBe(false);
    expect(checked.ok ? '' : checked.problem).toMatch(problem);
  });

  it('accepts https to a public address or a name (which is resolved and checked later)', () => {
    for (const url of ['https://hooks.example.org/vigia', 'https://93.184.216.34/hook', 'https://[2606:4700:4700::1111]/hook']) {
      expect(checkWebhookUrl(url, strict).ok, url).toBe(true);
    }
  });

  it('accepts http and inside addresses only where the operator allows them; never multicast or unspecified', () => {
    expect(checkWebhookUrl('http://hooks.example.org/', { allowHttp: true, allowPrivate: false }).ok).toBe(true);
    expect(checkWebhookUrl('http://127.0.0.1:8080/', { allowHttp: true, allowPrivate: false }).ok).toBe(false);
    const local = { allowHttp: true, allowPrivate: true };
    for (const url of ['http://127.0.0.1:8080/', 'http://[::1]:8080/', 'https://10.0.0.2/', 'https://169.254.1.1/', 'https://100.64.1.1/']) {
      expect(checkWebhookUrl(url, local).ok, url).toBe(true);
    }
    for (const url of ['https://0.0.0.0/', 'https://224.0.0.1/', 'https://[ff02::1]/', 'https://255.255.255.255/']) {
      expect(checkWebhookUrl(url, local).ok, url).toBe(false);
    }
  });
});
