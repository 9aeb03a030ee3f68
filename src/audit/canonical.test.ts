import { describe, expect, it } from 'vitest';
import { canonicalJson, GENESIS_HASH, hashEntry, type HashedAuditFields } from './canonical.js';

const entry: HashedAuditFields = {
  seq: 1,
  occurred_at: new Date('2026-11-28T05:00:00.000Z'),
  actor_type: 'user',
  actor_id: 'u_1',
  organization_id: 'org_1',
  action: 'membership.role_changed',
  subject_type: 'membership',
  subject_id: 'm_9',
  ip: '192.0.2.1',
  user_agent: null,
  request_id: 'req-1',
  details: { role: 'editor', previous: { role: 'viewer', since: 3 } },
  prev_hash: GENESIS_HASH,
};

describe('canonical serialization', () => {
  it('does not depend on the order keys were written in, at any depth', () => {
    const a = { b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } };
    const b = { a: { c: 'x', d: [3, { y: 2, z: 1 }] }, b: 1 };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it('writes timestamps as UTC ISO-8601 with milliseconds and absent values as null', () => {
    expect(canonicalJson({ at: new Date('2026-11-28T00:00:00+02:00'), gone: undefined, none: null })).toBe(
      '{"at":"2026-11-27T22:00:00.000Z","gone":null,"none":null}',
    );
  });

  // The pinned hash was computed outside Vigía (Python: json.dumps(sort_keys=True, separators=(',', ':'))
  // then SHA-256), which is what an outside verifier would do; a change to the format cannot pass unnoticed.
  it('gives the same hash every time, the one an independent implementation of the format gives', () => {
    const reordered = Object.fromEntries(Object.entries(entry).reverse()) as unknown as HashedAuditFields;
    expect(hashEntry(reordered)).toBe(hashEntry(entry));
    expect(hashEntry(entry)).toBe('c5a14dda0a1db75f26ec3f794b333b2ab39aec59a750a38320b4f85db41a0305');
  });

  it('covers every field, prev_hash and seq included, and ignores extra properties such as the hash itself', () => {
    const base = hashEntry(entry);
    expect(hashEntry({ ...entry, prev_hash: 'f'.repeat(64) })).not.toBe(base);
    expect(hashEntry({ ...entry, seq: 2 })).not.toBe(base);
    expect(hashEntry({ ...entry, user_agent: '' })).not.toBe(base);
    expect(hashEntry({ ...entry, occurred_at: new Date('2026-11-28T05:00:00.001Z') })).not.toBe(base);
    expect(hashEntry({ ...entry, hash: 'anything' } as HashedAuditFields)).toBe(base);
  });

  it('refuses values with no single JSON form instead of guessing', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/NaN/);
    expect(() => canonicalJson({ n: Infinity })).toThrow(/Infinity/);
    expect(() => canonicalJson({ m: new Map() })).toThrow(/Map/);
    expect(() => canonicalJson({ b: 1n })).toThrow(/bigint/);
    expect(() => canonicalJson(new Date('not a date'))).toThrow(RangeError);
  });
});
