import { describe, expect, it } from 'vitest';
import { errorCodes, FinkitError, httpStatusByCode, notFound } from './finkit-error.js';

function throwsFromHere(): never {
  throw new FinkitError('CONFLICT', 'boom');
}

describe('FinkitError', () => {
  it('carries code, message, details, cause and retryAfterMs', () => {
    const cause = new Error('socket hang up');
    const error = new FinkitError('PROVIDER', 'Plaid failed', {
      cause,
      details: { requestId: 'r1' },
      retryAfterMs: 50,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('FinkitError');
    expect(error.code).toBe('PROVIDER');
    expect(error.message).toBe('Plaid failed');
    expect(error.cause).toBe(cause);
    expect(error.details).toEqual({ requestId: 'r1' });
    expect(error.retryAfterMs).toBe(50);
  });

  it('has no cause property when none is given, and empty details', () => {
    const error = new FinkitError('VALIDATION', 'bad');
    expect('cause' in error).toBe(false);
    expect(error.details).toEqual({});
  });

  it('keeps a stack trace that names where it was thrown', () => {
    let caught: unknown;
    try {
      throwsFromHere();
    } catch (error) {
      caught = error;
    }
    expect(FinkitError.isInstance(caught)).toBe(true);
    const stack = (caught as FinkitError).stack ?? '';
    expect(stack).toContain('FinkitError: boom');
    expect(stack).toContain('throwsFromHere');
  });

  it('recognizes errors from a second copy of the library by the global marker', () => {
    // What a FinkitError from another copy of @finkit/core looks like: a different class,
    // the same Symbol.for marker.
    class OtherCopyError extends Error {
      readonly code = 'NOT_FOUND' as const;
    }
    const foreign = Object.assign(new OtherCopyError('missing'), { [Symbol.for('finkit.error')]: true });
    expect(foreign instanceof FinkitError).toBe(false);
    expect(FinkitError.isInstance(foreign)).toBe(true);
    expect(FinkitError.hasCode(foreign, 'NOT_FOUND')).toBe(true);
    expect(FinkitError.hasCode(foreign, 'CONFLICT')).toBe(false);
  });

  it('rejects look-alikes without the marker', () => {
    expect(FinkitError.isInstance(new Error('x'))).toBe(false);
    expect(FinkitError.isInstance({ code: 'NOT_FOUND', message: 'x' })).toBe(false);
    expect(FinkitError.isInstance({ [Symbol.for('finkit.error')]: 'yes' })).toBe(false);
    expect(FinkitError.isInstance(null)).toBe(false);
    expect(FinkitError.isInstance('NOT_FOUND')).toBe(false);
  });

  it('serializes to JSON without stack or cause', () => {
    const error = new FinkitError('RATE_LIMITED', 'slow down', {
      cause: new Error('secret upstream detail'),
      details: { limit: 10 },
    });
    const json = JSON.parse(JSON.stringify(error)) as Record<string, unknown>;
    expect(json).toEqual({ code: 'RATE_LIMITED', message: 'slow down', details: { limit: 10 } });
    expect(JSON.stringify(error)).not.toContain('secret upstream detail');
    expect(JSON.stringify(error)).not.toContain('at ');
  });

  it('maps every code to an HTTP status', () => {
    expect(new FinkitError('NOT_FOUND', 'x').httpStatus).toBe(404);
    expect(new FinkitError('VALIDATION', 'x').httpStatus).toBe(400);
    expect(new FinkitError('UNAUTHORIZED', 'x').httpStatus).toBe(401);
    expect(new FinkitError('RATE_LIMITED', 'x').httpStatus).toBe(429);
    expect(new FinkitError('INTERNAL', 'x').httpStatus).toBe(500);
    for (const code of errorCodes) {
      const status = new FinkitError(code, 'x').httpStatus;
      expect(status).toBe(httpStatusByCode[code]);
      expect(status >= 400 && status < 600).toBe(true);
    }
  });

  it('builds NOT_FOUND errors with notFound()', () => {
    const error = notFound('Account', 'acc_1');
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toBe('Account acc_1 was not found');
    expect(error.details).toEqual({ what: 'Account', id: 'acc_1' });
  });
});
