import type { Context } from 'hono';
import { verify } from 'hono/jwt';
import type { SignatureAlgorithm } from 'hono/utils/jwt/jwa';
import type { SignatureKey } from 'hono/utils/jwt/jws';
import type { Authenticate } from './require-user.js';

export type BearerJwtOptions = (
  | { secret: string; publicKey?: never }
  | { publicKey: SignatureKey; secret?: never }
) & {
  /** Default HS256 with a secret, RS256 with a public key. */
  algorithm?: SignatureAlgorithm;
  issuer?: string;
  audience?: string | string[];
};

/**
 * The bearer token of a request: the `Authorization` header, or `?token=` on a WebSocket upgrade,
 * since browsers cannot set headers there. Other requests must use the header: URLs end up in
 * access logs and browser history.
 */
export function bearerToken(c: Context): string | null {
  const header = c.req.header('authorization');
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match?.[1] ?? null;
  }
  if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') return null;
  return c.req.query('token') ?? null;
}

// A verification imports the key and checks a signature (about 0.5 ms of CPU), on every request
// of a client that sends the same token for its whole session; remembering a verified token for a
// minute, never past its `exp`, makes repeat requests nearly free without extending any token.
const verifiedTokenTtlMs = 60_000;
const maxVerifiedTokens = 10_000;

/**
 * An `authenticate` for apps without their own auth: a signed JWT whose `sub` is the user id.
 * Verified tokens are remembered for up to a minute (never past their `exp`); rejected ones are
 * checked again each time.
 */
export function bearerJwtAuthenticate(options: BearerJwtOptions): Authenticate {
  const key: SignatureKey = options.secret ?? options.publicKey;
  const alg: SignatureAlgorithm = options.algorithm ?? (options.secret !== undefined ? 'HS256' : 'RS256');
  const verified = new Map<string, { userId: string; until: number }>();
  return async (c) => {
    const token = bearerToken(c);
    if (!token) return null;
    const now = Date.now();
    const known = verified.get(token);
    if (known && known.until > now) return known.userId;
    if (known) verified.delete(token);
    const payload = await verify(token, key, {
      alg,
      ...(options.issuer !== undefined ? { iss: options.issuer } : {}),
      ...(options.audience !== undefined ? { aud: options.audience } : {}),
    });
    if (typeof payload.sub !== 'string' || payload.sub.length === 0) return null;
    const expiresAt = typeof payload.exp === 'number' ? payload.exp * 1000 : Number.POSITIVE_INFINITY;
    const until = Math.min(expiresAt, now + verifiedTokenTtlMs);
    if (until > now) {
      // Insertion order makes the first key the oldest.
      if (verified.size >= maxVerifiedTokens) verified.delete(verified.keys().next().value as string);
      verified.set(token, { userId: payload.sub, until });
    }
    return payload.sub;
  };
}
