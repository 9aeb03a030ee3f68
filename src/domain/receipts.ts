import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/**
 * A report's receipt: a code the reporter can read out or write down, and a secret that proves they hold
 * the receipt. With both, a reporter sees the status and can add information, and learns nothing else.
 * Only a hash of the secret is stored; the secret has 256 random bits, so a plain SHA-256 suffices (no
 * password hashing needed: there is nothing to guess).
 */

/** Letters and digits nobody confuses when reading aloud or copying by hand (no 0/O, 1/I/L, 5/S, 2/Z). */
const ALPHABET = 'ABCDEFGHJKMNPQRTUVWXY346789';

/** A new receipt code such as `K7QW-3MXA-9TRC` (about 57 bits: unguessable, and the secret guards it anyway). */
export function newReceiptCode(): string {
  const chars = Array.from({ length: 12 }, () => ALPHABET[randomInt(ALPHABET.length)]);
  return `${chars.slice(0, 4).join('')}-${chars.slice(4, 8).join('')}-${chars.slice(8).join('')}`;
}

/** A receipt code as typed by a person: upper case, spaces and missing hyphens forgiven. */
export function normalizeReceiptCode(input: string): string | null {
  const compact = input.toUpperCase().replace(/[\s-]/g, '');
  if (!/^[A-Z0-9]{12}$/.test(compact)) return null;
  return `${compact.slice(0, 4)}-${compact.slice(4, 8)}-${compact.slice(8)}`;
}

/** A new secret: 32 random bytes in base64url (43 characters). */
export function newReceiptSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Whether a string has the form of a receipt secret (clients may generate their own, so a retry reuses it). */
export function isReceiptSecret(value: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(value);
}

/** What is stored for a secret. */
export function hashReceiptSecret(secret: string): string {
  return createHash('sha256').update(`vigia/receipt/v1\0${secret}`, 'utf8').digest('hex');
}

/** Compares a presented secret with the stored hash in constant time. */
export function receiptSecretMatches(secret: string, storedHash: string): boolean {
  const given = Buffer.from(hashReceiptSecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}
