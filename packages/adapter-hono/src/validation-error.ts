import { FinkitError } from '@finkit/core';

interface ZodLikeIssue {
  path: readonly PropertyKey[];
  message: string;
}

/** A request validation failure as the VALIDATION error the facade would raise, naming the field. */
export function validationError(where: string, issues: readonly ZodLikeIssue[]): FinkitError<'VALIDATION'> {
  const listed = issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  const first = listed[0];
  const field = first?.path ? `${first.path}: ` : '';
  return new FinkitError('VALIDATION', `Invalid ${where}: ${field}${first?.message ?? 'invalid'}`, {
    details: { in: where, issues: listed },
  });
}
