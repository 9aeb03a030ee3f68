import { createHash } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { AuditLogTable } from '../db/schema.js';

/**
 * The one byte string an audit entry's hash is computed over. Anyone holding a copy of the table can
 * recompute every hash with this description alone, without Vigía:
 *
 *   SHA-256 (lower-case hex) of the UTF-8 bytes of the JSON object whose keys are exactly the
 *   audit_log columns except `hash`, keys sorted by UTF-16 code units at every depth, no whitespace,
 *   absent values written as `null`, timestamps as ISO-8601 UTC with milliseconds
 *   (`2026-11-28T05:00:00.000Z`), numbers and strings as JavaScript's JSON.stringify writes them.
 */
export type HashedAuditFields = Omit<Selectable<AuditLogTable>, 'hash'>;

/** The hash of the entry before the first one: the chain has to start from something fixed. */
export const GENESIS_HASH = '0'.repeat(64);

/** Serializes `value` the same way whatever its keys' insertion order, so a hash depends on content only. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) {
    // toISOString throws on an invalid date, which is what we want: there is no honest way to hash one.
    return JSON.stringify(value.toISOString());
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      // JSON.stringify would write NaN and Infinity as null, and then the stored value would differ.
      if (!Number.isFinite(value)) throw new TypeError(`Cannot serialize the number ${value} canonically`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
      const prototype = Object.getPrototypeOf(value) as unknown;
      if (prototype !== Object.prototype && prototype !== null) {
        // A Map, Buffer or class instance has no single obvious JSON form; refusing beats guessing.
        const kind = (value as object).constructor?.name ?? 'non-plain';
        throw new TypeError(`Cannot serialize a ${kind} object canonically`);
      }
      const record = value as Record<string, unknown>;
      const members = Object.keys(record)
        .sort()
        .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
      return `{${members.join(',')}}`;
    }
    default:
      throw new TypeError(`Cannot serialize a ${typeof value} canonically`);
  }
}

/** The hash that chains an entry: it covers every field, `seq` and `prev_hash` included, but not itself. */
export function hashEntry(entry: HashedAuditFields): string {
  // Listed one by one so that extra properties (the row's own `hash`) can never slip into the input, and
  // so that a new column fails to compile here until someone decides whether the hash covers it.
  const fields: HashedAuditFields = {
    seq: entry.seq,
    occurred_at: entry.occurred_at,
    actor_type: entry.actor_type,
    actor_id: entry.actor_id,
    organization_id: entry.organization_id,
    action: entry.action,
    subject_type: entry.subject_type,
    subject_id: entry.subject_id,
    ip: entry.ip,
    user_agent: entry.user_agent,
    request_id: entry.request_id,
    details: entry.details,
    prev_hash: entry.prev_hash,
  };
  return createHash('sha256').update(canonicalJson(fields), 'utf8').digest('hex');
}
