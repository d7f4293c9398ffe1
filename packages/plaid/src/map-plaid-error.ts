import { FinkitError } from '@finkit/core';

/** Item errors that only the user can fix, by logging in again through Link's update mode. */
const reauthCodes = new Set([
  'ITEM_LOGIN_REQUIRED',
  'ITEM_LOCKED',
  'INVALID_CREDENTIALS',
  'INVALID_MFA',
  'INVALID_SEND_METHOD',
  'INVALID_UPDATED_USERNAME',
  'INSUFFICIENT_CREDENTIALS',
  'ITEM_NOT_SUPPORTED',
  'MFA_NOT_SUPPORTED',
  'PASSWORD_RESET_REQUIRED',
  'USER_SETUP_REQUIRED',
  'USER_INPUT_TIMEOUT',
  'ACCESS_NOT_GRANTED',
  'USER_PERMISSION_REVOKED',
  'USER_ACCOUNT_REVOKED',
]);

/** The subset of an axios error this file reads; the plaid client throws axios errors. */
interface HttpErrorLike {
  message?: string;
  code?: string;
  response?: {
    status?: number;
    data?: unknown;
    headers?: unknown;
  };
}

interface PlaidErrorBodyLike {
  error_type?: unknown;
  error_code?: unknown;
  error_message?: unknown;
  display_message?: unknown;
  request_id?: unknown;
}

export interface MapPlaidErrorOptions {
  /** How long to wait after a rate limit when Plaid does not say. Default 30 s. */
  defaultRetryAfterMs?: number;
  now?: () => Date;
}

const asString = (value: unknown): string | null =>
  typeof value === 'string' && value !== '' ? value : null;

function headerValue(headers: unknown, name: string): string | null {
  if (typeof headers !== 'object' || headers === null) return null;
  const getter = (headers as { get?: unknown }).get;
  if (typeof getter === 'function') {
    const value: unknown = getter.call(headers, name);
    if (typeof value === 'string') return value;
  }
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? asString(value[0]) : asString(value);
  }
  return null;
}

/** Retry-After is either delta-seconds or an HTTP date. */
function parseRetryAfter(value: string | null, now: Date): number | null {
  if (value === null) return null;
  if (/^\d+$/.test(value.trim())) return Number.parseInt(value.trim(), 10) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}

/**
 * The axios error carries the request config: the PLAID-SECRET header and the access token in the
 * body. Loggers print `cause` chains, so only its message, code and stack go along.
 */
function sanitizedCause(error: unknown): Error {
  const http = (typeof error === 'object' && error !== null ? error : {}) as HttpErrorLike & {
    stack?: unknown;
  };
  const cause = new Error(http.message ?? String(error));
  cause.name = 'PlaidHttpError';
  if (typeof http.stack === 'string') cause.stack = http.stack;
  if (http.code) Object.assign(cause, { code: http.code });
  return cause;
}

/**
 * Turns whatever the plaid client threw into a FinkitError callers can branch on, always carrying
 * Plaid's `error_code` as `details.providerCode` and its `request_id` for support tickets.
 */
export function mapPlaidError(error: unknown, options: MapPlaidErrorOptions = {}): FinkitError {
  if (FinkitError.isInstance(error)) return error;
  const http = (typeof error === 'object' && error !== null ? error : {}) as HttpErrorLike;
  const response = http.response;
  if (!response || typeof response.status !== 'number') {
    const timedOut = http.code === 'ECONNABORTED' || http.code === 'ETIMEDOUT';
    return new FinkitError('PROVIDER', `Plaid could not be reached: ${http.message ?? String(error)}`, {
      cause: sanitizedCause(error),
      details: {
        providerCode: 'NETWORK_ERROR',
        requestId: null,
        errorType: null,
        status: null,
        networkCode: http.code ?? null,
        timedOut,
      },
    });
  }
  const body = (
    typeof response.data === 'object' && response.data !== null ? response.data : {}
  ) as PlaidErrorBodyLike;
  const status = response.status;
  const providerCode = asString(body.error_code) ?? `HTTP_${status}`;
  const errorType = asString(body.error_type);
  const details = {
    providerCode,
    requestId: asString(body.request_id),
    errorType,
    status,
    displayMessage: asString(body.display_message),
  };
  const message = `Plaid ${providerCode}: ${asString(body.error_message) ?? http.message ?? 'request failed'}`;
  if (status === 429 || errorType === 'RATE_LIMIT_EXCEEDED') {
    const retryAfterMs =
      parseRetryAfter(headerValue(response.headers, 'retry-after'), options.now?.() ?? new Date()) ??
      options.defaultRetryAfterMs ??
      30_000;
    return new FinkitError('RATE_LIMITED', message, { cause: sanitizedCause(error), details, retryAfterMs });
  }
  if (reauthCodes.has(providerCode))
    return new FinkitError('REAUTH_REQUIRED', message, { cause: sanitizedCause(error), details });
  return new FinkitError('PROVIDER', message, { cause: sanitizedCause(error), details });
}
