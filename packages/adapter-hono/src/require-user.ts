import { FinkitError } from '@finkit/core';
import type { Context, MiddlewareHandler } from 'hono';
import type { FinkitEnv } from './finkit-env.js';

/** Resolves the acting user's id from a request; null (or a throw) means not authenticated. */
export type Authenticate = (c: Context) => Promise<string | null> | string | null;

const unauthorized = () => new FinkitError('UNAUTHORIZED', 'Authentication required');

/** Sets `userId` from `authenticate`, or answers 401 UNAUTHORIZED. */
export function requireUser(authenticate: Authenticate): MiddlewareHandler<FinkitEnv> {
  return async (c, next) => {
    let userId: string | null;
    try {
      userId = await authenticate(c);
    } catch {
      // Why a credential was refused is the server's business, not the caller's.
      throw unauthorized();
    }
    if (typeof userId !== 'string' || userId.length === 0) throw unauthorized();
    c.set('userId', userId);
    await next();
  };
}
