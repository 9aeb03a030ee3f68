import { createHash, randomInt } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';

/*
 * One-time recovery codes: the way back in for a person who lost the phone with their authenticator.
 * They are shown once, when made, and stored only as hashes.
 */

/** How many codes a person gets at a time. */
export const RECOVERY_CODE_COUNT = 10;

/**
 * Letters and digits that cannot be mistaken for one another when read off paper or dictated over a
 * phone: no 0/O and no 1/I/L. 31 symbols, about 4.95 random bits each.
 */
export const RECOVERY_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

const CODE_LENGTH = 10;
const GROUP_LENGTH = 5;
const CANONICAL_PATTERN = new RegExp(`^[${RECOVERY_CODE_ALPHABET}]{${CODE_LENGTH}}$`);

/** A new code such as `7KQ2M-XH9PA`: 10 symbols (49 random bits) in two groups for reading aloud. */
export function generateRecoveryCode(): string {
  let code = '';
  // randomInt draws without modulo bias, which a byte % 31 would have.
  for (let i = 0; i < CODE_LENGTH; i++) code += RECOVERY_CODE_ALPHABET[randomInt(RECOVERY_CODE_ALPHABET.length)];
  return `${code.slice(0, GROUP_LENGTH)}-${code.slice(GROUP_LENGTH)}`;
}

/**
 * The code as typed, reduced to its symbols: case, spaces and hyphens do not matter, so a person
 * copying from paper is not refused for writing `7kq2m xh9pa`. Undefined when it cannot be a code.
 */
export function normalizeRecoveryCode(input: string): string | undefined {
  const symbols = input.toUpperCase().replace(/[\s-]+/g, '');
  return CANONICAL_PATTERN.test(symbols) ? symbols : undefined;
}

/**
 * The stored form. The user id is hashed in so that equal codes of two people hash differently and a
 * leaked table cannot be attacked once for everyone; 49 random bits make guessing one code from its
 * hash costly, and online guessing is throttled.
 */
export function hashRecoveryCode(userId: string, normalizedCode: string): string {
  return createHash('sha256').update(`${userId}:${normalizedCode}`).digest('hex');
}

/**
 * Replaces all of a person's recovery codes (used or not) with a fresh set and returns the new codes
 * in clear, the only time they exist outside the person's hands.
 */
export async function replaceRecoveryCodes(trx: Transaction<DB>, userId: string): Promise<string[]> {
  const codes = new Set<string>();
  while (codes.size < RECOVERY_CODE_COUNT) codes.add(generateRecoveryCode());
  await trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  await trx
    .insertInto('recovery_codes')
    .values(
      [...codes].map((code) => ({
        user_id: userId,
        code_hash: hashRecoveryCode(userId, normalizeRecoveryCode(code)!),
      })),
    )
    .execute();
  return [...codes];
}

/**
 * Spends one recovery code: true when it was an unused code of this person, which is now used. The
 * check and the marking are one conditional update, so two requests with the same code cannot both
 * succeed.
 */
export async function useRecoveryCode(trx: Transaction<DB>, userId: string, input: string): Promise<boolean> {
  const code = normalizeRecoveryCode(input);
  if (!code) return false;
  const spent = await trx
    .updateTable('recovery_codes')
    .set({ used_at: new Date() })
    .where('user_id', '=', userId)
    .where('code_hash', '=', hashRecoveryCode(userId, code))
    .where('used_at', 'is', null)
    .returning('code_hash')
    .executeTakeFirst();
  return spent !== undefined;
}

/** How many unused codes a person has left, so the interface can urge them to make new ones. */
export async function countUnusedRecoveryCodes(trx: Transaction<DB>, userId: string): Promise<number> {
  const row = await trx
    .selectFrom('recovery_codes')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
