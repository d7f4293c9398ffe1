/** Stable error codes. Callers branch on these, so a code never changes meaning once released. */
export const errorCodes = [
  'NOT_FOUND',
  'VALIDATION',
  'CONFLICT',
  'PROVIDER',
  'REAUTH_REQUIRED',
  'RATE_LIMITED',
  'CAPABILITY_UNAVAILABLE',
  'UNAUTHORIZED',
  'CURRENCY_MISMATCH',
  'CRYPTO',
  'WEBHOOK_VERIFICATION',
  'PAYLOAD_TOO_LARGE',
  'INTERNAL',
] as const;

export type FinkitErrorCode = (typeof errorCodes)[number];

/** Which HTTP status each code maps to; adapters use it so every transport agrees. */
export const httpStatusByCode: Record<FinkitErrorCode, number> = {
  NOT_FOUND: 404,
  VALIDATION: 400,
  CONFLICT: 409,
  PROVIDER: 502,
  REAUTH_REQUIRED: 409,
  RATE_LIMITED: 429,
  CAPABILITY_UNAVAILABLE: 501,
  UNAUTHORIZED: 401,
  CURRENCY_MISMATCH: 400,
  CRYPTO: 400,
  WEBHOOK_VERIFICATION: 401,
  PAYLOAD_TOO_LARGE: 413,
  INTERNAL: 500,
};

// A symbol in the global registry, so `isInstance` still works when two copies of
// @finkit/core end up in one process (a nested node_modules), where `instanceof` fails.
const marker = Symbol.for('finkit.error');

export interface FinkitErrorOptions {
  cause?: unknown;
  /** Structured, non-secret detail: field issues, provider error codes, request ids. */
  details?: Record<string, unknown>;
  /** For RATE_LIMITED: how long the caller should wait before retrying. */
  retryAfterMs?: number;
}

export class FinkitError<C extends FinkitErrorCode = FinkitErrorCode> extends Error {
  readonly [marker] = true;
  readonly code: C;
  readonly details: Record<string, unknown>;
  readonly retryAfterMs: number | undefined;

  constructor(code: C, message: string, options: FinkitErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FinkitError';
    this.code = code;
    this.details = options.details ?? {};
    this.retryAfterMs = options.retryAfterMs;
  }

  get httpStatus(): number {
    return httpStatusByCode[this.code];
  }

  static isInstance(error: unknown): error is FinkitError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }

  /** True when `error` is a FinkitError carrying `code`. */
  static hasCode<C extends FinkitErrorCode>(error: unknown, code: C): error is FinkitError<C> {
    return FinkitError.isInstance(error) && error.code === code;
  }

  toJSON(): { code: C; message: string; details: Record<string, unknown> } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

export const notFound = (what: string, id: string): FinkitError<'NOT_FOUND'> =>
  new FinkitError('NOT_FOUND', `${what} ${id} was not found`, { details: { what, id } });
