import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Authenticated encryption of small values (a name, a contact, coordinates, a data key) with
 * AES-256-GCM. The associated data binds a value to where it belongs (an organization, a record), so a
 * sealed value copied into another organization's row fails to open instead of decrypting there.
 */

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Thrown when a sealed value does not open: wrong key, wrong place, or altered. */
export class SealError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealError';
  }
}

/** Encrypts `plaintext` under `key`, returning iv ‖ ciphertext ‖ tag. */
export function sealBytes(key: Buffer, plaintext: Buffer, associatedData: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

/** Reverses `sealBytes`, or throws `SealError`. */
export function openBytes(key: Buffer, sealed: Buffer, associatedData: string): Buffer {
  if (sealed.length < IV_BYTES + TAG_BYTES) throw new SealError('The sealed value is too short.');
  const iv = sealed.subarray(0, IV_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const body = sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw new SealError('The sealed value does not open with this key in this place.');
  }
}
