import { createHash, timingSafeEqual } from 'node:crypto';
import { type Clock, FinkitError, type ProviderWebhook, systemClock } from '@finkit/core';
import { decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import { parsePlaidWebhook } from './parse-plaid-webhook.js';

/** A webhook verification key as `/webhook_verification_key/get` returns it. */
export interface PlaidWebhookKey {
  alg: string;
  crv: string;
  kid: string;
  kty: string;
  use: string;
  x: string;
  y: string;
  created_at: number;
  /** Unix seconds at which Plaid retired the key; null while it is current. */
  expired_at: number | null;
}

export interface PlaidWebhookVerifierOptions {
  /** Fetches a key by id (the provider calls `/webhook_verification_key/get`). */
  fetchKey(keyId: string): Promise<PlaidWebhookKey>;
  clock?: Clock;
  /** Reject webhooks whose `iat` is older than this. Plaid says 5 minutes. */
  maxAgeMs?: number;
  /** How long a still-valid key is trusted before it is fetched again to learn of its expiry. */
  keyCacheTtlMs?: number;
}

export interface PlaidWebhookVerifier {
  /**
   * Verifies a webhook exactly as Plaid documents, then parses it.
   * @throws FinkitError `WEBHOOK_VERIFICATION` with `details.reason` when it is not genuine.
   */
  verify(rawBody: string, headers: Record<string, string | string[] | undefined>): Promise<ProviderWebhook>;
}

export type WebhookRejection =
  | 'missing_header'
  | 'malformed_token'
  | 'wrong_algorithm'
  | 'unknown_key'
  | 'key_unavailable'
  | 'expired_key'
  | 'bad_signature'
  | 'stale'
  | 'body_mismatch';

const reject = (reason: WebhookRejection, message: string, cause?: unknown): FinkitError =>
  new FinkitError('WEBHOOK_VERIFICATION', `Plaid webhook rejected: ${message}`, {
    details: { reason },
    ...(cause === undefined ? {} : { cause }),
  });

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

interface CachedKey {
  key: PlaidWebhookKey;
  fetchedAt: number;
}

export function createPlaidWebhookVerifier(options: PlaidWebhookVerifierOptions): PlaidWebhookVerifier {
  const clock = options.clock ?? systemClock;
  const maxAgeMs = options.maxAgeMs ?? 5 * 60_000;
  const keyCacheTtlMs = options.keyCacheTtlMs ?? 60 * 60_000;
  const cache = new Map<string, CachedKey>();
  // One fetch per key id at a time, so a burst of webhooks costs one API call.
  const inFlight = new Map<string, Promise<PlaidWebhookKey>>();

  const isExpired = (key: PlaidWebhookKey, now: number): boolean =>
    key.expired_at !== null && key.expired_at !== undefined && key.expired_at * 1000 <= now;

  const keyFor = async (kid: string, now: number): Promise<PlaidWebhookKey> => {
    const cached = cache.get(kid);
    // An expired key never comes back to life, so it needs no refetch.
    if (cached && (isExpired(cached.key, now) || now - cached.fetchedAt < keyCacheTtlMs)) return cached.key;
    let pending = inFlight.get(kid);
    if (!pending) {
      pending = options.fetchKey(kid).finally(() => inFlight.delete(kid));
      inFlight.set(kid, pending);
    }
    try {
      const key = await pending;
      cache.set(kid, { key, fetchedAt: now });
      return key;
    } catch (error) {
      // Plaid answers 400 for a kid it never issued; anything else (network, 5xx, rate limit)
      // says nothing about the webhook, and a caller may want to answer it with a retryable 5xx.
      const unavailable = FinkitError.isInstance(error) && error.details.status !== 400;
      throw unavailable
        ? reject('key_unavailable', `verification key ${kid} could not be fetched`, error)
        : reject('unknown_key', `no verification key ${kid}`, error);
    }
  };

  return {
    async verify(rawBody, headers) {
      const token = header(headers, 'plaid-verification');
      if (!token) throw reject('missing_header', 'no Plaid-Verification header');
      let protectedHeader: ReturnType<typeof decodeProtectedHeader>;
      try {
        protectedHeader = decodeProtectedHeader(token);
      } catch (error) {
        throw reject('malformed_token', 'the Plaid-Verification header is not a JWT', error);
      }
      // Checked before any key lookup: accepting another algorithm is the classic JWT forgery.
      if (protectedHeader.alg !== 'ES256')
        throw reject('wrong_algorithm', `algorithm ${protectedHeader.alg} is not ES256`);
      const kid = protectedHeader.kid;
      if (!kid) throw reject('malformed_token', 'the JWT has no kid');

      const now = clock.now().getTime();
      const key = await keyFor(kid, now);
      if (isExpired(key, now)) throw reject('expired_key', `key ${kid} expired`);

      let payload: Record<string, unknown>;
      try {
        const publicKey = await importJWK({ kty: key.kty, crv: key.crv, x: key.x, y: key.y }, 'ES256');
        ({ payload } = await jwtVerify(token, publicKey, {
          algorithms: ['ES256'],
          currentDate: new Date(now),
        }));
      } catch (error) {
        throw reject('bad_signature', 'the signature does not verify', error);
      }

      const iat = payload.iat;
      if (typeof iat !== 'number') throw reject('malformed_token', 'the JWT has no iat');
      const ageMs = now - iat * 1000;
      if (ageMs > maxAgeMs) throw reject('stale', `issued ${Math.round(ageMs / 1000)} s ago`);
      if (ageMs < -maxAgeMs) throw reject('stale', 'issued in the future');

      const claimed = payload.request_body_sha256;
      const actual = createHash('sha256').update(rawBody, 'utf8').digest('hex');
      const matches =
        typeof claimed === 'string' &&
        claimed.length === actual.length &&
        timingSafeEqual(Buffer.from(claimed.toLowerCase(), 'utf8'), Buffer.from(actual, 'utf8'));
      if (!matches) throw reject('body_mismatch', 'the body does not match request_body_sha256');

      return parsePlaidWebhook(rawBody);
    },
  };
}
