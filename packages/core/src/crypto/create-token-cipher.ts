import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { FinkitError } from '../errors/finkit-error.js';
import type { TokenCipher } from '../ports/token-cipher.js';

export interface TokenCipherOptions {
  /**
   * AES-256 keys by key id. A key is 32 bytes, or text encoding 32 bytes in base64 or base64url
   * (what `generateTokenKey()` prints). Key ids use letters, digits, `_` and `-`.
   */
  keys: Record<string, string | Uint8Array>;
  /** The key new ciphertexts use; the others only decrypt (keep them until re-encrypted). */
  primaryKeyId: string;
}

const version = 'v1';
const keyBytes = 32;
const ivBytes = 12;
const tagBytes = 16;
const keyIdPattern = /^[A-Za-z0-9_-]{1,64}$/;
const base64urlPattern = /^[A-Za-z0-9_-]*$/;

function decodeKey(keyId: string, key: string | Uint8Array): Buffer {
  let bytes: Buffer | undefined;
  if (typeof key === 'string') {
    // Buffer's decoder skips characters outside the alphabet; check first so typos surface.
    if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(key.trim())) bytes = Buffer.from(key.trim(), 'base64');
  } else {
    bytes = Buffer.from(key);
  }
  if (bytes?.length !== keyBytes) {
    throw new FinkitError(
      'VALIDATION',
      `Token key ${keyId} must be ${keyBytes} bytes (base64 or base64url)`,
      {
        details: { keyId },
      },
    );
  }
  return bytes;
}

function malformed(reason: string, cause?: unknown): FinkitError<'CRYPTO'> {
  return new FinkitError('CRYPTO', `Cannot decrypt token: ${reason}`, cause === undefined ? {} : { cause });
}

/** Decodes base64url, refusing any text that is not the canonical encoding of its bytes. */
function decodePart(text: string, name: string): Buffer {
  const bytes = base64urlPattern.test(text) ? Buffer.from(text, 'base64url') : undefined;
  // Non-canonical text (spare bits set in the last character) decodes to the same bytes; refuse
  // it so that every change to a ciphertext is detected, not only the ones that reach GCM.
  if (!bytes || bytes.toString('base64url') !== text) throw malformed(`${name} is not base64url`);
  return bytes;
}

interface ParsedCiphertext {
  keyId: string;
  iv: Buffer;
  body: Buffer;
  tag: Buffer;
}

function parse(ciphertext: string): ParsedCiphertext {
  const parts = typeof ciphertext === 'string' ? ciphertext.split('.') : [];
  if (parts.length !== 5 || parts[0] !== version) throw malformed('not a v1 ciphertext');
  const [, keyId = '', ivText = '', bodyText = '', tagText = ''] = parts;
  if (!keyIdPattern.test(keyId)) throw malformed('bad key id');
  const iv = decodePart(ivText, 'iv');
  const body = decodePart(bodyText, 'ciphertext');
  const tag = decodePart(tagText, 'tag');
  if (iv.length !== ivBytes || tag.length !== tagBytes) throw malformed('bad iv or tag length');
  return { keyId, iv, body, tag };
}

// The version and key id are authenticated, so a ciphertext cannot be relabelled to another key.
const additionalData = (keyId: string): Buffer => Buffer.from(`${version}.${keyId}`, 'utf8');

/**
 * A `TokenCipher` on AES-256-GCM: a random 12-byte IV per encryption, the key id bound as
 * additional authenticated data, and the self-describing format `v1.<kid>.<iv>.<ciphertext>.<tag>`
 * (base64url parts) so keys rotate without a migration.
 * @throws FinkitError `VALIDATION` for a key of the wrong length, a bad key id, or an unknown
 * primary key id.
 */
export function createTokenCipher(options: TokenCipherOptions): TokenCipher {
  const keys = new Map<string, Buffer>();
  for (const [keyId, key] of Object.entries(options.keys)) {
    if (!keyIdPattern.test(keyId)) {
      throw new FinkitError(
        'VALIDATION',
        `Token key id ${JSON.stringify(keyId)} must match ${keyIdPattern}`,
        {
          details: { keyId },
        },
      );
    }
    keys.set(keyId, decodeKey(keyId, key));
  }
  const primaryKeyId = options.primaryKeyId;
  const primaryKey = keys.get(primaryKeyId);
  if (!primaryKey) {
    throw new FinkitError(
      'VALIDATION',
      `Primary token key ${JSON.stringify(primaryKeyId)} is not among the keys`,
      {
        details: { primaryKeyId },
      },
    );
  }

  return {
    async encrypt(plaintext) {
      const iv = randomBytes(ivBytes);
      const cipher = createCipheriv('aes-256-gcm', primaryKey, iv, { authTagLength: tagBytes });
      cipher.setAAD(additionalData(primaryKeyId));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [version, primaryKeyId, iv, body, tag]
        .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
        .join('.');
    },

    async decrypt(ciphertext) {
      const { keyId, iv, body, tag } = parse(ciphertext);
      const key = keys.get(keyId);
      if (!key) throw malformed(`unknown key id ${keyId}`);
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: tagBytes });
        decipher.setAAD(additionalData(keyId));
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
      } catch (error) {
        throw malformed('authentication failed', error);
      }
    },

    /** Malformed ciphertexts throw `CRYPTO`; an unknown key id needs rotation (and cannot decrypt). */
    needsRotation(ciphertext) {
      return parse(ciphertext).keyId !== primaryKeyId;
    },
  };
}
