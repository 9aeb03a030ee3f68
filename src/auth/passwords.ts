import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { AppError } from '../server/errors.js';
import { isCommonPassword } from './common-passwords.js';

/** Shortest password accepted, in Unicode code points (a passphrase of a few words passes). */
export const PASSWORD_MIN_LENGTH = 12;
/** Longest accepted: hashing cost grows with length, so an unbounded password is a denial-of-service lever. */
export const PASSWORD_MAX_LENGTH = 256;

// `Algorithm` is a const enum that the package does not export at run time; 2 is its Argon2id member.
const ARGON2ID = 2 as Algorithm;

/**
 * OWASP's recommended argon2id setting (19 MiB, 2 passes, 1 lane): memory-hard enough to make offline
 * cracking of a leaked table costly while a sign-in still takes a few tens of milliseconds.
 */
const HASH_OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** The argon2id hash (PHC string, salt included) to store in users.password_hash. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, HASH_OPTIONS);
}

// A hash of a password nobody knows, verified against when the account does not exist or has no
// password, so that such an attempt costs the same time as a real one and timing reveals nothing.
let dummyHash: Promise<string> | undefined;

/**
 * Checks a password against a stored hash; with no hash (unknown account, or one that never set a
 * password) it still spends the time of a real check and answers false.
 */
export async function verifyPassword(storedHash: string | null | undefined, password: string): Promise<boolean> {
  if (!storedHash) {
    dummyHash ??= hashPassword('vigia-dummy-password-for-timing');
    await verify(await dummyHash, password);
    return false;
  }
  return verify(storedHash, password);
}

/** What is wrong with a proposed password, one sentence per problem; empty when it is acceptable. */
export function passwordProblems(password: string): string[] {
  const length = [...password].length;
  const problems: string[] = [];
  if (length < PASSWORD_MIN_LENGTH) {
    problems.push(`must be at least ${PASSWORD_MIN_LENGTH} characters long (it has ${length})`);
  }
  if (length > PASSWORD_MAX_LENGTH) {
    problems.push(`must be at most ${PASSWORD_MAX_LENGTH} characters long (it has ${length})`);
  }
  if (isCommonPassword(password)) {
    problems.push('is one of the most common passwords, which attackers try first; choose another');
  }
  return problems;
}

/**
 * Throws a 400 VALIDATION_FAILED naming `field` for each problem of a proposed password, in the same
 * shape as schema validation errors so that forms can show them beside the field.
 */
export function assertAcceptablePassword(password: string, field = 'password'): void {
  const problems = passwordProblems(password);
  if (problems.length === 0) return;
  throw new AppError(
    'VALIDATION_FAILED',
    `Invalid body: ${problems.map((p) => `${field}: ${p}`).join('; ')}`,
    problems.map((message) => ({ location: 'body', field, message })),
  );
}
