import { z } from '@hono/zod-openapi';

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'NOT_FOUND' }),
      message: z.string(),
      details: z.record(z.string(), z.unknown()),
    }),
  })
  .openapi('Error');

const errorContent = { 'application/json': { schema: errorSchema } };

/** The error answers every authenticated route can give. */
export const errorResponses = {
  400: { description: 'Invalid input (VALIDATION and other 400 codes)', content: errorContent },
  401: { description: 'Not authenticated (UNAUTHORIZED)', content: errorContent },
  404: { description: 'Not found, or not the acting user’s (NOT_FOUND)', content: errorContent },
  413: { description: 'Request body too large (PAYLOAD_TOO_LARGE)', content: errorContent },
  429: { description: 'Rate limited (RATE_LIMITED), see Retry-After', content: errorContent },
  500: { description: 'Unexpected failure (INTERNAL)', content: errorContent },
} as const;

/** Errors of routes that reach the bank provider. */
export const providerErrorResponses = {
  ...errorResponses,
  409: { description: 'Conflict, or the user must log in again (REAUTH_REQUIRED)', content: errorContent },
  502: { description: 'The provider failed (PROVIDER)', content: errorContent },
} as const;

export const security = [{ bearerAuth: [] }];

// Core's schemas predate @hono/zod-openapi's extension of zod, so they cannot take `.openapi()`;
// schemas that carry OpenAPI metadata are built here.
export const idParam = z.string().min(1).max(128);

export const idParams = z.object({
  id: idParam.openapi({ param: { name: 'id', in: 'path' }, example: 'txn_123' }),
});

export function jsonBody<S extends z.ZodType>(schema: S, description?: string) {
  return {
    required: true,
    ...(description ? { description } : {}),
    content: { 'application/json': { schema } },
  };
}

export function jsonResponse<S extends z.ZodType>(schema: S, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

export function itemsOf<S extends z.ZodType>(schema: S) {
  return z.object({ items: z.array(schema) });
}

export const noContent = { description: 'Done; no body' };
