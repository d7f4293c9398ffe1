import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FinkitError, type FinkitErrorCode } from '../errors/finkit-error.js';
import { createTokenCipher } from './create-token-cipher.js';
import { generateTokenKey } from './generate-token-key.js';

async function codeOf(fn: () => unknown): Promise<FinkitErrorCode | 'no error' | 'not a FinkitError'> {
  try {
    await fn();
  } catch (error) {
    return FinkitError.isInstance(error) ? error.code : 'not a FinkitError';
  }
  return 'no error';
}

/** Flips one bit of a base64url part, keeping the text canonical. */
function flipBit(part: string): string {
  const bytes = Buffer.from(part, 'base64url');
  bytes[0] = (bytes[0] ?? 0) ^ 1;
  return bytes.toString('base64url');
}

function withPart(ciphertext: string, index: number, replace: (part: string) => string): string {
  const parts = ciphertext.split('.');
  parts[index] = replace(parts[index] ?? '');
  return parts.join('.');
}

const token = 'access-sandbox-de3ce8ef-33f8-452c-a685-8671031fc0f6';

describe('createTokenCipher', () => {
  const k1 = generateTokenKey();
  const k2 = generateTokenKey();

  it('round-trips and names the key in a v1 base64url format', async () => {
    const cipher = createTokenCipher({ keys: { k1 }, primaryKeyId: 'k1' });
    const sealed = await cipher.encrypt(token);
    expect(sealed).toMatch(/^v1\.k1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    expect(sealed).not.toContain(token);
    expect(await cipher.decrypt(sealed)).toBe(token);
    expect(await cipher.decrypt(await cipher.encrypt(''))).toBe('');
    expect(await cipher.decrypt(await cipher.encrypt('ünïcødé ✓'))).toBe('ünïcødé ✓');
  });

  it('uses a fresh IV each time', async () => {
    const cipher = createTokenCipher({ keys: { k1 }, primaryKeyId: 'k1' });
    const a = await cipher.encrypt(token);
    const b = await cipher.encrypt(token);
    expect(a).not.toBe(b);
    expect(a.split('.')[2]).not.toBe(b.split('.')[2]);
  });

  it('accepts keys as bytes, base64 and base64url', async () => {
    const raw = randomBytes(32);
    const fromBytes = createTokenCipher({ keys: { a: raw }, primaryKeyId: 'a' });
    const fromBase64 = createTokenCipher({ keys: { a: raw.toString('base64') }, primaryKeyId: 'a' });
    const fromBase64url = createTokenCipher({ keys: { a: raw.toString('base64url') }, primaryKeyId: 'a' });
    const sealed = await fromBytes.encrypt(token);
    expect(await fromBase64.decrypt(sealed)).toBe(token);
    expect(await fromBase64url.decrypt(sealed)).toBe(token);
  });

  it('rejects bad keys and an unknown primary at construction with VALIDATION', async () => {
    expect(await codeOf(() => createTokenCipher({ keys: { a: randomBytes(16) }, primaryKeyId: 'a' }))).toBe(
      'VALIDATION',
    );
    expect(
      await codeOf(() =>
        createTokenCipher({ keys: { a: randomBytes(33).toString('base64') }, primaryKeyId: 'a' }),
      ),
    ).toBe('VALIDATION');
    expect(await codeOf(() => createTokenCipher({ keys: { a: 'not a key!' }, primaryKeyId: 'a' }))).toBe(
      'VALIDATION',
    );
    expect(await codeOf(() => createTokenCipher({ keys: { a: '' }, primaryKeyId: 'a' }))).toBe('VALIDATION');
    expect(await codeOf(() => createTokenCipher({ keys: { k1 }, primaryKeyId: 'k2' }))).toBe('VALIDATION');
    expect(await codeOf(() => createTokenCipher({ keys: { 'a.b': k1 }, primaryKeyId: 'a.b' }))).toBe(
      'VALIDATION',
    );
  });

  describe('tampering', () => {
    const cipher = createTokenCipher({ keys: { k1, k2 }, primaryKeyId: 'k1' });

    it.each([
      ['iv', 2],
      ['ciphertext', 3],
      ['tag', 4],
    ])('detects a flipped bit in the %s', async (_name, index) => {
      const sealed = await cipher.encrypt(token);
      expect(await codeOf(() => cipher.decrypt(withPart(sealed, index, flipBit)))).toBe('CRYPTO');
    });

    it('detects every single-character change', async () => {
      const sealed = await cipher.encrypt('tok');
      for (let i = 0; i < sealed.length; i++) {
        if (sealed[i] === '.') continue;
        const replacement = sealed[i] === 'A' ? 'B' : 'A';
        const changed = sealed.slice(0, i) + replacement + sealed.slice(i + 1);
        expect(await codeOf(() => cipher.decrypt(changed)), `position ${i}`).toBe('CRYPTO');
      }
    });

    it('refuses a non-canonical encoding of the same tag bytes', async () => {
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const sealed = await cipher.encrypt(token);
      // 16 tag bytes take 22 characters; the last one carries 4 spare bits that decoders ignore.
      const respelled = withPart(sealed, 4, (tag) => {
        const last = alphabet.indexOf(tag.slice(-1));
        return tag.slice(0, -1) + alphabet[last ^ 1];
      });
      expect(Buffer.from(respelled.split('.')[4] ?? '', 'base64url')).toEqual(
        Buffer.from(sealed.split('.')[4] ?? '', 'base64url'),
      );
      expect(await codeOf(() => cipher.decrypt(respelled))).toBe('CRYPTO');
    });

    it('detects a ciphertext relabelled to another known key', async () => {
      const sealed = await cipher.encrypt(token);
      expect(await codeOf(() => cipher.decrypt(withPart(sealed, 1, () => 'k2')))).toBe('CRYPTO');
    });

    it('refuses an unknown key id, truncation and garbage', async () => {
      const sealed = await cipher.encrypt(token);
      expect(await codeOf(() => cipher.decrypt(withPart(sealed, 1, () => 'k9')))).toBe('CRYPTO');
      expect(await codeOf(() => cipher.decrypt(withPart(sealed, 0, () => 'v2')))).toBe('CRYPTO');
      expect(await codeOf(() => cipher.decrypt(sealed.slice(0, -1)))).toBe('CRYPTO');
      expect(await codeOf(() => cipher.decrypt(sealed.slice(0, sealed.lastIndexOf('.'))))).toBe('CRYPTO');
      expect(await codeOf(() => cipher.decrypt(withPart(sealed, 3, (p) => p.slice(0, -2))))).toBe('CRYPTO');
      expect(await codeOf(() => cipher.decrypt(`${sealed}.extra`))).toBe('CRYPTO');
      expect(await codeOf(() => cipher.decrypt(''))).toBe('CRYPTO');
      expect(await codeOf(() => cipher.decrypt(token))).toBe('CRYPTO');
    });

    it('refuses a ciphertext made by a different key under the same id', async () => {
      const other = createTokenCipher({ keys: { k1: k2 }, primaryKeyId: 'k1' });
      expect(await codeOf(async () => cipher.decrypt(await other.encrypt(token)))).toBe('CRYPTO');
    });
  });

  describe('rotation', () => {
    it('decrypts old-key ciphertexts after the primary changes, and flags them', async () => {
      const before = createTokenCipher({ keys: { k1 }, primaryKeyId: 'k1' });
      const old = await before.encrypt(token);
      expect(before.needsRotation(old)).toBe(false);

      const after = createTokenCipher({ keys: { k1, k2 }, primaryKeyId: 'k2' });
      expect(await after.decrypt(old)).toBe(token);
      expect(after.needsRotation(old)).toBe(true);

      const fresh = await after.encrypt(await after.decrypt(old));
      expect(fresh.startsWith('v1.k2.')).toBe(true);
      expect(after.needsRotation(fresh)).toBe(false);
      expect(await after.decrypt(fresh)).toBe(token);
    });

    it('flags ciphertexts of retired keys and throws CRYPTO for malformed ones', async () => {
      const before = createTokenCipher({ keys: { k1 }, primaryKeyId: 'k1' });
      const old = await before.encrypt(token);
      const retired = createTokenCipher({ keys: { k2 }, primaryKeyId: 'k2' });
      expect(retired.needsRotation(old)).toBe(true);
      expect(await codeOf(() => retired.decrypt(old))).toBe('CRYPTO');
      expect(await codeOf(() => retired.needsRotation('garbage'))).toBe('CRYPTO');
    });
  });
});

describe('generateTokenKey', () => {
  it('makes distinct 32-byte base64url keys the cipher accepts', async () => {
    const a = generateTokenKey();
    const b = generateTokenKey();
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    const cipher = createTokenCipher({ keys: { a }, primaryKeyId: 'a' });
    expect(await cipher.decrypt(await cipher.encrypt('x'))).toBe('x');
  });
});
