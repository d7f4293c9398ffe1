import { describe, expect, it } from 'vitest';
import { createMemoryEventBus } from '../events/create-memory-event-bus.js';
import { createMemoryStore } from '../memory/memory-store.js';
import type { FinkitEvent } from '../schemas/event.js';
import { newRuleSchema } from '../schemas/rule.js';
import { createCategorizer } from './create-categorizer.js';

const tx = (description: string) => ({ description, amount: -1_250, date: '2024-03-05' });

describe("'rule.suggested'", () => {
  it('is published once, on the correction that completes a streak, with a rule that can be saved', async () => {
    const store = createMemoryStore();
    const events = createMemoryEventBus();
    const seen: FinkitEvent<'rule.suggested'>[] = [];
    events.subscribe('rule.suggested', (e) => seen.push(e));
    const categorizer = createCategorizer({ store, events, suggestAfter: 2 });

    await categorizer.recordCorrection('alice', tx('SQ *BLUE HERON FRAMING OAKLAND CA'), 'shopping');
    expect(seen).toHaveLength(0);
    await categorizer.recordCorrection('alice', tx('BLUE HERON FRAMING 04/02 OAKLAND CA'), 'shopping');
    expect(seen).toHaveLength(1);
    const [event] = seen;
    expect(event).toMatchObject({
      type: 'rule.suggested',
      userId: 'alice',
      data: { merchantName: 'Blue Heron Framing', categoryId: 'shopping', corrections: 2 },
    });
    expect(Number.isNaN(Date.parse(event!.at))).toBe(false);

    // A third correction continues the streak but suggests nothing new.
    await categorizer.recordCorrection('alice', tx('BLUE HERON FRAMING'), 'shopping');
    expect(seen).toHaveLength(1);

    // Saved, the suggested rule decides the merchant, and a new streak publishes nothing.
    // As `finkit.rules.create` does: parse the input, then store it.
    await store.rules.create('alice', newRuleSchema.parse(event!.data.rule));
    const [result] = await categorizer.categorize('alice', [tx('BLUE HERON FRAMING')]);
    expect(result).toMatchObject({ categoryId: 'shopping', signal: 'rule' });
    await categorizer.recordCorrection('alice', tx('BLUE HERON FRAMING'), 'personal_care');
    await categorizer.recordCorrection('alice', tx('BLUE HERON FRAMING'), 'shopping');
    await categorizer.recordCorrection('alice', tx('BLUE HERON FRAMING'), 'shopping');
    expect(seen).toHaveLength(1);
    await events.close();
  });

  it('reaches a subscriber of every event, and a failing bus does not fail the correction', async () => {
    const events = createMemoryEventBus();
    const types: string[] = [];
    events.subscribe('*', (e) => types.push(e.type));
    const categorizer = createCategorizer({ store: createMemoryStore(), events, suggestAfter: 1 });
    const outcome = await categorizer.recordCorrection('bob', tx('BLUE HERON FRAMING'), 'shopping');
    expect(outcome.suggestedRule).not.toBeNull();
    expect(types).toEqual(['rule.suggested']);

    const broken = createCategorizer({
      store: createMemoryStore(),
      suggestAfter: 1,
      events: {
        capabilities: { crossProcess: false },
        publish: () => Promise.reject(new Error('bus down')),
        subscribe: () => () => undefined,
        close: async () => undefined,
      },
    });
    const kept = await broken.recordCorrection('bob', tx('BLUE HERON FRAMING'), 'shopping');
    expect(kept.suggestedRule).toMatchObject({ actions: { categoryId: 'shopping' } });
  });
});
