import { describe, expect, it } from 'vitest';
import { FinkitError } from '../errors/finkit-error.js';
import { createMemoryStore } from '../memory/memory-store.js';
import type { FinkitContext } from './finkit-context.js';
import { createRulesApi } from './rules-api.js';

const userId = 'user-1';

function rulesApi() {
  const store = createMemoryStore();
  // Rules use only the store.
  return { store, rules: createRulesApi({ store } as FinkitContext) };
}

const rule = (value: string) => ({
  name: 'Pattern',
  conditions: [
    { field: 'merchantName' as const, op: 'contains' as const, value: 'x' },
    { field: 'description' as const, op: 'matches' as const, value },
  ],
  actions: { addTags: ['checked'] },
});

describe('finkit.rules patterns', () => {
  it.each([
    ['(unclosed', 'not a valid regular expression'],
    ['(\\w+\\s?)+$', 'exponential'],
  ])('refuses %s with VALIDATION naming the condition, storing nothing', async (pattern, reason) => {
    const { store, rules } = rulesApi();
    const error = await rules.create(userId, rule(pattern)).catch((e: unknown) => e);
    expect(FinkitError.hasCode(error, 'VALIDATION')).toBe(true);
    expect((error as FinkitError).message).toContain('conditions.1.value');
    expect((error as FinkitError).message).toContain(reason);
    expect(await store.rules.list(userId)).toEqual([]);
  });

  it('refuses an update that makes a stored pattern unsafe, and keeps the rule as it was', async () => {
    const { rules } = rulesApi();
    const created = await rules.create(userId, rule('^(uber|lyft)\\b'));
    const error = await rules
      .update(userId, created.id, { conditions: rule('(a|aa)*b').conditions })
      .catch((e: unknown) => e);
    expect(FinkitError.hasCode(error, 'VALIDATION')).toBe(true);
    expect((await rules.get(userId, created.id)).conditions).toEqual(created.conditions);
  });
});
