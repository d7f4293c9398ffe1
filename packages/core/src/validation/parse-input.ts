import type { z } from 'zod';
import { FinkitError } from '../errors/finkit-error.js';

/**
 * Parses untrusted input with a zod schema. Failure is a `VALIDATION` error whose details list
 * each issue's path and message, so API clients can point at the bad field.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what = 'input'): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  const first = issues[0];
  const where = first?.path ? `${first.path}: ` : '';
  throw new FinkitError('VALIDATION', `Invalid ${what}: ${where}${first?.message ?? 'invalid'}`, {
    cause: result.error,
    details: { issues },
  });
}
