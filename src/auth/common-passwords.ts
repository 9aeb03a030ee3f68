import { dictionary } from '@zxcvbn-ts/language-common';

// Built on first use: about 49 000 entries, so only processes that check a password pay for it.
let commonPasswords: ReadonlySet<string> | undefined;

/**
 * Whether a password is on zxcvbn's list of the most common passwords (compared lower-cased): the
 * first guesses of any attacker, so refused whatever their length.
 */
export function isCommonPassword(password: string): boolean {
  commonPasswords ??= new Set(dictionary.passwords.map((p) => p.toLowerCase()));
  return commonPasswords.has(password.toLowerCase());
}
