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

  it('numbers a restarted hub above the old one and tells a client from before the restart it missed events', async () => {
    const { finkit } = await createHarness();
    const before = createFinkitEventHub(finkit);
    const seen: NumberedEvent[] = [];
    before.subscribe('alice', null, (e) => seen.push(e));
    for (let i = 0; i < 3; i++) await finkit.context.events.publish(updated('alice', `old${i}`));
    before.close();

    // The restarted server: more events than the client's id before the client comes back.
    const after = createFinkitEventHub(finkit);
    for (let i = 0; i < 5; i++) await finkit.context.events.publish(updated('alice', `new${i}`));
    const lastSeen = seen[seen.length - 1]!.id;
    expect(after.lastId).toBeGreaterThanOrEqual(lastSeen + 5);
    const resumed: NumberedEvent[] = [];
    const sub = after.subscribe('alice', lastSeen, (e) => resumed.push(e));
    expect(sub.missed).toBe(true);
    // What the hub still has is replayed in order, every id above the old hub's.
    expect(resumed.map((e) => (e.data as { transactionId: string }).transactionId)).toEqual([
      'new0',
      'new1',
      'new2',
      'new3',
      'new4',
    ]);
    expect(Math.min(...resumed.map((e) => e.id))).toBeGreaterThan(lastSeen);
    after.close();
  });

  it('says missed to a user whose buffer was evicted and who has had new events since', async () => {
    const { finkit } = await createHarness();
    const hub = createFinkitEventHub(finkit, { maxUsers: 1 });
    const seen: NumberedEvent[] = [];
    const sub = hub.subscribe('u1', null, (e) => seen.push(e));
    await finkit.context.events.publish(updated('u1', 'a'));
    sub.unsubscribe();
    await finkit.context.events.publish(updated('u1', 'b'));
    await finkit.context.events.publish(updated('u2', 'x')); // evicts u1 and its 'b'
    await finkit.context.events.publish(updated('u1', 'c'));
    const resumed: NumberedEvent[] = [];
    expect(hub.subscribe('u1', seen[0]!.id, (e) => resumed.push(e)).missed).toBe(true);
    expect(resumed.map((e) => (e.data as { transactionId: string }).transactionId)).toEqual(['c']);
    hub.close();
  });
});
