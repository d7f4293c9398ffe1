import { FinkitError } from '@finkit/core';
import { HTTPException } from 'hono/http-exception';

/** The one JSON shape every error response has. */
export interface ErrorBody {
  error: { code: string; message: string; details: Record<string, unknown> };
}

const internal = new FinkitError('INTERNAL', 'Internal error');

// Hono raises HTTPException for protocol-level faults (malformed JSON, wrong content type); their
// messages are Hono's own, so they are safe to show.
function fromHttpException(error: HTTPException): FinkitError {
  if (error.status === 413) return new FinkitError('PAYLOAD_TOO_LARGE', 'Request body is too large');
  if (error.status === 401) return new FinkitError('UNAUTHORIZED', 'Authentication required');
  if (error.status === 404) return new FinkitError('NOT_FOUND', 'Not found');
  if (error.status >= 400 && error.status < 500) {
    return new FinkitError('VALIDATION', error.message || 'Bad request');
  }
  return internal;
}

/**
 * The FinkitError an error stands for. Anything that is neither a FinkitError nor a Hono protocol
 * error is a bug, so it becomes INTERNAL without its message, which may hold internals.
 */
export function toFinkitError(error: unknown): FinkitError {
  if (FinkitError.isInstance(error)) return error;
  if (error instanceof HTTPException) return fromHttpException(error);
  return internal;
}

export function errorBody(error: FinkitError): ErrorBody {
  // A cause can hold driver or provider internals; only code, message and details go out.
  const details = error.code === 'INTERNAL' ? {} : error.details;
  const message = error.code === 'INTERNAL' ? 'Internal error' : error.message;
  return { error: { code: error.code, message, details } };
}
