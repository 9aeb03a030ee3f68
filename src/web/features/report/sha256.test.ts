import { describe, expect, it } from 'vitest';
import { sha256, toHex } from './sha256';

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('sha256', () => {
  // FIPS 180-4 examples and the NIST one-million-"a" vector.
  it.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    [
      'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    ],
    [
      'abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu',
      'cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1',
    ],
    ['a'.repeat(1_000_000), 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0'],
  ])('hashes the standard vector %#', (message, digest) => {
    expect(toHex(sha256(utf8(message)))).toBe(digest);
  });

  it('agrees with WebCrypto at every length around the block and padding boundaries', async () => {
    for (let length = 0; length <= 200; length++) {
      const message = new Uint8Array(length).map((_, i) => (i * 31 + length) & 0xff);
      const expected = new Uint8Array(await crypto.subtle.digest('SHA-256', message));
      expect(toHex(sha256(message)), `length ${length}`).toBe(toHex(expected));
    }
  });

  it('hashes UTF-8 text as its bytes', () => {
    // echo -n 'Vigía' | sha256sum
    expect(toHex(sha256(utf8('Vigía')))).toBe(toHex(sha256(new Uint8Array([0x56, 0x69, 0x67, 0xc3, 0xad, 0x61]))));
  });
});
