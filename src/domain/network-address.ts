/*
 * What kind of address an IP address is, for deciding whether the server may connect to it on someone
 * else's behalf (webhook endpoints: an administrator types a URL, the server POSTs to it). A request to
 * a loopback, private or link-local address would let whoever registers an endpoint reach services that
 * are only meant to be reached from inside (the database, a cloud's metadata service at
 * 169.254.169.254). Pure: parsing and ranges only, no name resolution.
 */

/** Where an address leads; only `public` is reachable from the internet at large. */
export type AddressCategory =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'shared'
  | 'unspecified'
  | 'multicast'
  | 'broadcast'
  | 'documentation'
  | 'reserved';

/** Categories of addresses inside one machine or site: allowed only when an operator says so (tests, local setups). */
export const LOCAL_CATEGORIES: ReadonlySet<AddressCategory> = new Set(['loopback', 'private', 'link-local', 'shared']);

/** Words for messages, so a refusal says what the address is. */
export const CATEGORY_DESCRIPTIONS: Readonly<Record<AddressCategory, string>> = {
  public: 'a public address',
  loopback: 'a loopback address (this machine)',
  private: 'a private network address',
  'link-local': 'a link-local address (such as a cloud metadata service)',
  shared: 'a carrier-grade NAT address (100.64.0.0/10)',
  unspecified: 'the unspecified address',
  multicast: 'a multicast address',
  broadcast: 'the broadcast address',
  documentation: 'an address reserved for documentation',
  reserved: 'a reserved address',
};

export interface ParsedAddress {
  family: 4 | 6;
  /** The address as one number (32 or 128 bits). */
  value: bigint;
}

type Range = readonly [base: bigint, prefix: number, category: AddressCategory];

const IPV4_RANGES: readonly Range[] = [
  v4('0.0.0.0', 32, 'unspecified'),
  v4('255.255.255.255', 32, 'broadcast'),
  v4('0.0.0.0', 8, 'reserved'),
  v4('10.0.0.0', 8, 'private'),
  v4('100.64.0.0', 10, 'shared'),
  v4('127.0.0.0', 8, 'loopback'),
  v4('169.254.0.0', 16, 'link-local'),
  v4('172.16.0.0', 12, 'private'),
  v4('192.0.0.0', 24, 'reserved'),
  v4('192.0.2.0', 24, 'documentation'),
  v4('192.88.99.0', 24, 'reserved'),
  v4('192.168.0.0', 16, 'private'),
  v4('198.18.0.0', 15, 'reserved'),
  v4('198.51.100.0', 24, 'documentation'),
  v4('203.0.113.0', 24, 'documentation'),
  v4('224.0.0.0', 4, 'multicast'),
  v4('240.0.0.0', 4, 'reserved'),
];

const IPV6_RANGES: readonly Range[] = [
  v6('::', 128, 'unspecified'),
  v6('::1', 128, 'loopback'),
  // IPv4-compatible addresses (deprecated; ::ffff:0:0/96, the mapped form, is handled before this).
  v6('::', 96, 'reserved'),
  v6('64:ff9b:1::', 48, 'reserved'),
  v6('100::', 64, 'reserved'),
  v6('2001:db8::', 32, 'documentation'),
  // IETF protocol assignments, Teredo (which hides an IPv4 address) among them.
  v6('2001::', 23, 'reserved'),
  v6('fc00::', 7, 'private'),
  v6('fe80::', 10, 'link-local'),
  v6('fec0::', 10, 'reserved'),
  v6('ff00::', 8, 'multicast'),
];

/** Prefixes whose low bits carry an IPv4 address: that address decides. */
const IPV4_MAPPED = v6('::ffff:0:0', 96, 'reserved');
const NAT64 = v6('64:ff9b::', 96, 'reserved');
const SIX_TO_FOUR = v6('2002::', 16, 'reserved');
const GLOBAL_UNICAST = v6('2000::', 3, 'public');

/**
 * Parses an IP address as written in a URL's host or returned by a resolver: IPv6 with or without
 * brackets (a zone such as `%eth0` is dropped), or IPv4 in any form the URL standard and inet_aton
 * accept (`127.0.0.1`, `2130706433`, `0177.0.0.1`, `0x7f.1`). Anything else (a name) is null.
 */
export function parseIpAddress(text: string): ParsedAddress | null {
  let host = text.trim();
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (host.includes(':')) {
    const value = parseIPv6(host.replace(/%.*$/, ''));
    return value === null ? null : { family: 6, value };
  }
  const value = parseIPv4(host);
  return value === null ? null : { family: 4, value };
}

/** The category of an address (see `parseIpAddress` for what it accepts); a name is not an address and throws. */
export function classifyAddress(text: string): AddressCategory {
  const parsed = parseIpAddress(text);
  if (!parsed) throw new Error(`Not an IP address: ${JSON.stringify(text)}`);
  return classifyParsed(parsed);
}

export function classifyParsed({ family, value }: ParsedAddress): AddressCategory {
  if (family === 4) return categoryIn(IPV4_RANGES, value, 32) ?? 'public';
  for (const prefix of [IPV4_MAPPED, NAT64]) {
    if (inRange(prefix, value, 128)) return classifyParsed({ family: 4, value: value & 0xffff_ffffn });
  }
  if (inRange(SIX_TO_FOUR, value, 128)) return classifyParsed({ family: 4, value: (value >> 80n) & 0xffff_ffffn });
  const special = categoryIn(IPV6_RANGES, value, 128);
  if (special) return special;
  return inRange(GLOBAL_UNICAST, value, 128) ? 'public' : 'reserved';
}

/** Whether a connection to this category is allowed, given whether the operator allows local targets. */
export function categoryAllowed(category: AddressCategory, allowLocal: boolean): boolean {
  return category === 'public' || (allowLocal && LOCAL_CATEGORIES.has(category));
}

function categoryIn(ranges: readonly Range[], value: bigint, bits: number): AddressCategory | undefined {
  return ranges.find((range) => inRange(range, value, bits))?.[2];
}

function inRange([base, prefix]: Range, value: bigint, bits: number): boolean {
  const shift = BigInt(bits - prefix);
  return value >> shift === base >> shift;
}

/** The WHATWG URL standard's IPv4 parser: one to four parts, each decimal, octal (0…) or hex (0x…). */
function parseIPv4(host: string): bigint | null {
  const parts = host.split('.');
  if (parts.at(-1) === '' && parts.length > 1) parts.pop();
  if (parts.length === 0 || parts.length > 4) return null;
  const numbers: bigint[] = [];
  for (const part of parts) {
    let digits = part;
    let radix = 10;
    if (/^0x/i.test(digits)) {
      digits = digits.slice(2);
      radix = 16;
    } else if (digits.length > 1 && digits.startsWith('0')) {
      digits = digits.slice(1);
      radix = 8;
    }
    const pattern = radix === 16 ? /^[0-9a-f]*$/i : radix === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
    if (!pattern.test(digits)) return null;
    numbers.push(digits === '' ? 0n : [...digits.toLowerCase()].reduce((n, d) => n * BigInt(radix) + BigInt(parseInt(d, 16)), 0n));
  }
  const last = numbers.pop()!;
  if (numbers.some((n) => n > 255n) || last >= 256n ** BigInt(5 - parts.length)) return null;
  return numbers.reduce((sum, n, i) => sum + (n << BigInt(8 * (3 - i))), last);
}

function parseIPv6(host: string): bigint | null {
  let text = host;
  // A trailing dotted quad (::ffff:127.0.0.1) is the last two groups written another way.
  const dotted = /:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (dotted) {
    const quad = dotted[1]!.split('.').map(Number);
    if (quad.some((n) => n > 255)) return null;
    const group = (high: number, low: number) => ((high << 8) | low).toString(16);
    text = `${text.slice(0, dotted.index + 1)}${group(quad[0]!, quad[1]!)}:${group(quad[2]!, quad[3]!)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (half: string) => (half === '' ? [] : half.split(':'));
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  if ([...head, ...rest].some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return null;
  const known = head.length + rest.length;
  if (halves.length === 1 ? known !== 8 : known > 7) return null;
  const all = [...head.map(hex), ...Array<bigint>(8 - known).fill(0n), ...rest.map(hex)];
  return all.reduce((sum, group) => (sum << 16n) | group, 0n);
}

function hex(group: string): bigint {
  return BigInt(`0x${group}`);
}

function v4(address: string, prefix: number, category: AddressCategory): Range {
  return [parseIPv4(address)!, prefix, category];
}

function v6(address: string, prefix: number, category: AddressCategory): Range {
  return [parseIPv6(address)!, prefix, category];
}
