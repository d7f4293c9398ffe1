import { Hono } from 'hono';
import { sign } from 'hono/jwt';
import { describe, expect, it } from 'vitest';
import { bearerJwtAuthenticate } from '../src/bearer-jwt-authenticate.js';

const secret = 'test-secret-with-enough-length-000';

function appFor(options: Parameters<typeof bearerJwtAuthenticate>[0]) {
  const authenticate = bearerJwtAuthenticate(options);
  const app = new Hono();
  app.get('/me', async (c) => {
    try {
      return c.json({ userId: await authenticate(c) });
    } catch {
      return c.json({ userId: null, rejected: true }, 401);
    }
  });
  return async (token: string) => {
    const response = await app.request('/me', { headers: { authorization: `Bearer ${token}` } });
    return response.json();
  };
}

describe('bearerJwtAuthenticate', () => {
  it('accepts a valid token again and again, and rejects it once it has expired', async () => {
    const me = appFor({ secret });
    const exp = Math.floor(Date.now() / 1000) + 2;
    const token = await sign({ sub: 'alice', exp }, secret);
    expect(await me(token)).toEqual({ userId: 'alice' });
    expect(await me(token)).toEqual({ userId: 'alice' });
    // Remembered tokens are never honoured past their own expiry.
    await new Promise((resolve) => setTimeout(resolve, exp * 1000 - Date.now() + 50));
    expect(await me(token)).toEqual({ userId: null, rejected: true });
  });

  it('keeps rejecting bad tokens and never lets one user stand for another', async () => {
    const me = appFor({ secret, issuer: 'finkit-tests' });
    const good = await sign({ sub: 'bob', iss: 'finkit-tests' }, secret);
    const forged = await sign({ sub: 'bob', iss: 'finkit-tests' }, `${secret}-other`);
    const wrongIssuer = await sign({ sub: 'bob', iss: 'elsewhere' }, secret);
    expect(await me(good)).toEqual({ userId: 'bob' });
    for (let i = 0; i < 2; i++) {
      expect(await me(forged)).toEqual({ userId: null, rejected: true });
      expect(await me(wrongIssuer)).toEqual({ userId: null, rejected: true });
      expect(await me(`${good}x`)).toEqual({ userId: null, rejected: true });
    }
    const carol = await sign({ sub: 'carol', iss: 'finkit-tests' }, secret);
    expect(await me(carol)).toEqual({ userId: 'carol' });
    expect(await me(good)).toEqual({ userId: 'bob' });
    expect(await me(await sign({ iss: 'finkit-tests' }, secret))).toEqual({ userId: null });
  });
});
