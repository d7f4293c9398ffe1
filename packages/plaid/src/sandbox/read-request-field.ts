import { sandboxError } from './sandbox-plaid-error.js';

/** A parsed JSON request body. */
export type RequestBody = Record<string, unknown>;

const missing = (field: string) =>
  sandboxError(
    400,
    'INVALID_REQUEST',
    'MISSING_FIELDS',
    `the following required fields are missing: ${field}`,
  );
const invalid = (field: string, why: string) =>
  sandboxError(400, 'INVALID_REQUEST', 'INVALID_FIELD', `${field} ${why}`);

export function requiredString(body: RequestBody, field: string): string {
  const value = body[field];
  if (value === undefined || value === null || value === '') throw missing(field);
  if (typeof value !== 'string') throw invalid(field, 'must be a string');
  return value;
}

export function optionalString(body: RequestBody, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(field, 'must be a string');
  return value;
}

export function optionalInteger(
  body: RequestBody,
  field: string,
  min: number,
  max: number,
): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(field, `must be an integer from ${min} to ${max}`);
  }
  return value;
}

export function optionalObject(body: RequestBody, field: string): RequestBody {
  const value = body[field];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid(field, 'must be an object');
  return value as RequestBody;
}

export function optionalStringArray(body: RequestBody, field: string): string[] | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw invalid(field, 'must be an array of strings');
  }
  return value as string[];
}
