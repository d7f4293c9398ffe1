import { FinkitError } from '@finkit/core';

/**
 * A failed send as a FinkitError: `PROVIDER` (or `RATE_LIMITED` with `retryAfterMs`) whose
 * `details.permanent` says whether retrying could ever help (a rejected address will not).
 */
export function deliveryFailure(
  message: string,
  options: { permanent: boolean; retryAfterMs?: number; status?: number; cause?: unknown },
): FinkitError<'PROVIDER' | 'RATE_LIMITED'> {
  const details = {
    permanent: options.permanent,
    ...(options.status === undefined ? {} : { status: options.status }),
  };
  if (options.retryAfterMs !== undefined) {
    return new FinkitError('RATE_LIMITED', message, {
      details,
      retryAfterMs: options.retryAfterMs,
      ...(options.cause === undefined ? {} : { cause: options.cause }),
    });
  }
  return new FinkitError('PROVIDER', message, {
    details,
    ...(options.cause === undefined ? {} : { cause: options.cause }),
  });
}

/** Whether a channel's error rules out retrying. Unknown errors are treated as transient. */
export function isPermanentFailure(error: unknown): boolean {
  if (!FinkitError.isInstance(error)) return false;
  if (error.code === 'VALIDATION') return true;
  return error.details.permanent === true;
}

/** Milliseconds from a `Retry-After` header (seconds or an HTTP date), or undefined. */
export function parseRetryAfter(value: string | null, now: Date): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

/**
 * Turns a non-2xx HTTP answer into a delivery failure: 429 and 5xx are worth retrying (after
 * `Retry-After` when given), 408 too; any other 4xx is the request's fault and permanent.
 */
export async function httpFailure(service: string, response: Response, now: Date): Promise<FinkitError> {
  const text = await response.text().catch(() => '');
  const status = response.status;
  const detail = text.length > 300 ? `${text.slice(0, 300)}…` : text;
  const message = `${service} answered ${status}${detail ? `: ${detail}` : ''}`;
  if (status === 429) {
    const retryAfterMs =
      parseRetryAfter(response.headers.get('retry-after'), now) ??
      resetHeaderMs(response.headers.get('x-ratelimit-reset'), now) ??
      1000;
    return deliveryFailure(message, { permanent: false, retryAfterMs, status });
  }
  const transient = status >= 500 || status === 408;
  const retryAfterMs = transient ? parseRetryAfter(response.headers.get('retry-after'), now) : undefined;
  return deliveryFailure(message, {
    permanent: !transient,
    status,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}

// SendGrid announces the end of a rate-limit window as a Unix time in X-RateLimit-Reset.
function resetHeaderMs(value: string | null, now: Date): number | undefined {
  const seconds = value === null ? Number.NaN : Number(value);
  return Number.isFinite(seconds) ? Math.max(0, seconds * 1000 - now.getTime()) : undefined;
}
