import type { FinkitEvent } from '@finkit/core';
import { describe, expect, it } from 'vitest';
import { createFinkitEventHub, type NumberedEvent } from '../src/create-finkit-event-hub.js';
import { createHarness } from './app-fixture.js';

const updated = (userId: string, transactionId: string): FinkitEvent => ({
  type: 'transaction.updated',
  userId,
  at: '2024-03-04T00:00:00.000Z',
  data: { transactionId, fields: ['notes'] },
});

describe('createFinkitEventHub', () => {
  it("delivers only the user's events, numbered in increasing order", async () => {
    const { finkit } = await createHarness();
    const hub = createFinkitEventHub(finkit);
    const alice: NumberedEvent[] = [];
    const bob: NumberedEvent[] = [];
    hub.subscribe('alice', null, (e) => alice.push(e));
    hub.subscribe('bob', null, (e) => bob.push(e));
    await finkit.context.events.publish(updated('alice', 'a1'));
    await finkit.context.events.publish(updated('bob', 'b1'));
    await finkit.context.events.publish(updated('alice', 'a2'));
    expect(alice.map((e) => (e.data as { transactionId: string }).transactionId)).toEqual(['a1', 'a2']);
    expect(bob.map((e) => (e.data as { transactionId: string }).transactionId)).toEqual(['b1']);
    expect(alice[0]!.id).toBeLessThan(alice[1]!.id);
    expect(JSON.stringify(alice)).not.toContain('bob');
    hub.close();
  });

  it('replays what a reconnecting client missed, then goes live', async () => {
    const { finkit } = await createHarness();
    const hub = createFinkitEventHub(finkit);
    const first: NumberedEvent[] = [];
    const sub = hub.subscribe('alice', null, (e) => first.push(e));
    await finkit.context.events.publish(updated('alice', 'a1'));
    sub.unsubscribe();
    await finkit.context.events.publish(updated('alice', 'a2'));
    await finkit.context.events.publish(updated('bob', 'b1'));
    await finkit.context.events.publish(updated('alice', 'a3'));
    const resumed: NumberedEvent[] = [];
    const again = hub.subscribe('alice', first[0]!.id, (e) => resumed.push(e));
    expect(again.missed).toBe(false);
    await finkit.context.events.publish(updated('alice', 'a4'));
    expect(resumed.map((e) => (e.data as { transactionId: string }).transactionId)).toEqual([
      'a2',
      'a3',
      'a4',
    ]);
    const ids = resumed.map((e) => e.id);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    hub.close();
  });

  it('keeps a bounded buffer and says when a client fell too far behind', async () => {
    const { finkit } = await createHarness();
    const hub = createFinkitEventHub(finkit, { bufferSize: 3 });
    for (let i = 0; i < 10; i++) await finkit.context.events.publish(updated('alice', `a${i}`));
    const seen: NumberedEvent[] = [];
    const sub = hub.subscribe('alice', 1, (e) => seen.push(e));
    expect(sub.missed).toBe(true);
    expect(seen).toHaveLength(3);
    expect(hub.subscribe('alice', hub.lastId + 5, () => {}).missed).toBe(true);
    expect(hub.subscribe('alice', hub.lastId, () => {}).missed).toBe(false);
    hub.close();
  });

  it('forgets the least recently active users beyond maxUsers', async () => {
    const { finkit } = await createHarness();
    const hub = createFinkitEventHub(finkit, { maxUsers: 2 });
    await finkit.context.events.publish(updated('u1', 'x'));
    await finkit.context.events.publish(updated('u2', 'x'));
    await finkit.context.events.publish(updated('u3', 'x'));
    const u1: NumberedEvent[] = [];
    expect(hub.subscribe('u1', 0, (e) => u1.push(e)).missed).toBe(true);
    expect(u1).toEqual([]);
    const u3: NumberedEvent[] = [];
    hub.subscribe('u3', 0, (e) => u3.push(e));
    expect(u3).toHaveLength(1);
    hub.close();
  });
});
