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

/** An `authenticate` for apps without their own auth: a signed JWT whose `sub` is the user id. */
export function bearerJwtAuthenticate(options: BearerJwtOptions): Authenticate {
  const key: SignatureKey = options.secret ?? options.publicKey;
  const alg: SignatureAlgorithm = options.algorithm ?? (options.secret !== undefined ? 'HS256' : 'RS256');
  return async (c) => {
    const token = bearerToken(c);
    if (!token) return null;
    const payload = await verify(token, key, {
      alg,
      ...(options.issuer !== undefined ? { iss: options.issuer } : {}),
      ...(options.audience !== undefined ? { aud: options.audience } : {}),
    });
    return typeof payload.sub === 'string' && payload.sub.length > 0 ? payload.sub : null;
  };
}
