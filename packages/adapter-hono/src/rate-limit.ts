import { FinkitError } from '@finkit/core';
import type { Context, MiddlewareHandler } from 'hono';

export interface RateLimitOptions {
  /** Requests allowed per window and key. */
  max: number;
  /** Default one minute. */
  windowMs?: number;
  /** Default the acting user. */
  key?: (c: Context) => string;
  now?: () => number;
}

/**
 * A fixed-window limit kept in this process's memory; behind several processes each counts
 * alone, so put a shared limiter in front when that matters.
 */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler {
  const windowMs = options.windowMs ?? 60_000;
  const now = options.now ?? Date.now;
  const key = options.key ?? ((c: Context) => String(c.get('userId') ?? 'anonymous'));
  const windows = new Map<string, { start: number; count: number }>();
  return async (c, next) => {
    const at = now();
    const id = key(c);
    let window = windows.get(id);
    if (!window || at - window.start >= windowMs) {
      // Expired windows are dropped lazily, so the map holds only keys active in the last window.
      if (windows.size > 10_000) {
        for (const [k, w] of windows) if (at - w.start >= windowMs) windows.delete(k);
      }
      window = { start: at, count: 0 };
      windows.set(id, window);
    }
    window.count += 1;
    if (window.count > options.max) {
      const retryAfterMs = window.start + windowMs - at;
      throw new FinkitError('RATE_LIMITED', 'Too many requests', { retryAfterMs });
    }
    await next();
  };
}
