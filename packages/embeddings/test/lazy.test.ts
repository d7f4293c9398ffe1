import { describe, expect, it } from 'vitest';
import { lazy } from '../src/lazy.js';

describe('lazy', () => {
  it('loads once for concurrent first callers and later callers', async () => {
    let loads = 0;
    const get = lazy(async () => {
      loads++;
      await new Promise((resolve) => setImmediate(resolve));
      return { model: loads };
    });
    expect(loads).toBe(0);
    const [a, b] = await Promise.all([get(), get()]);
    const c = await get();
    expect(loads).toBe(1);
    expect(a).toBe(b);
    expect(c).toBe(a);
  });

  it('forgets a failed load so the next call retries', async () => {
    let loads = 0;
    const get = lazy(async () => {
      loads++;
      if (loads === 1) throw new Error('not yet');
      return 'ready';
    });
    await expect(get()).rejects.toThrow('not yet');
    await expect(get()).resolves.toBe('ready');
    expect(loads).toBe(2);
  });
});
