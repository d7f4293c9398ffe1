import { describe, expect, it } from 'vitest';
import { createIdGenerator } from './new-id.js';

describe('createIdGenerator', () => {
  it('makes distinct, increasing, UUIDv7-shaped ids across many refills of its random bytes', () => {
    const newId = createIdGenerator();
    // 512 ids use up one 4 KiB draw; 5,000 cross several.
    const ids = Array.from({ length: 5_000 }, () => newId());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...ids].sort()).toEqual(ids);
    // The random tails differ too, not only the counters.
    expect(new Set(ids.map((id) => id.slice(19))).size).toBe(ids.length);
  });
});
