import { randomBytes } from 'node:crypto';

/** A fresh AES-256 key for `createTokenCipher`, as base64url text (32 random bytes). */
export function generateTokenKey(): string {
  return randomBytes(32).toString('base64url');
}
