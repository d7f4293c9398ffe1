import { describe, expect, it } from 'vitest';
import type { FinkitEvent } from '../schemas/event.js';
import { createMemoryEventBus } from './create-memory-event-bus.js';

const at = '2024-05-01T12:00:00.000Z';
const synced: FinkitEvent<'transactions.synced'> = {
  type: 'transactions.synced',
  userId: 'u1',
  at,
  data: { connectionId: 'c1', added: ['t1'], modified: [], removed: [] },
};
const reached: FinkitEvent<'goal.reached'> = {
  type: 'goal.reached',
  userId: 'u1',
  at,
  data: { goalId: 'g1' },
};

describe('createMemoryEventBus', () => {
  it('delivers to subscribers of the type and of *, not of other types', async () => {
    const bus = createMemoryEventBus();
    const seen: string[] = [];
    bus.subscribe('transactions.synced', (event) => seen.push(`synced:${event.data.added.join(',')}`));
    bus.subscribe('goal.reached', (event) => seen.push(`reached:${event.data.goalId}`));
    bus.subscribe('*', (event) => seen.push(`*:${event.type}`));

    await bus.publish(synced);
    expect(seen).toEqual(['synced:t1', '*:transactions.synced']);
    await bus.publish(reached);
    expect(seen).toEqual(['synced:t1', '*:transactions.synced', 'reached:g1', '*:goal.reached']);
    expect(bus.capabilities).toEqual({ crossProcess: false });
  });

  it('unsubscribes one handler, leaving the others', async () => {
    const bus = createMemoryEventBus();
    const seen: string[] = [];
    const offA = bus.subscribe('goal.reached', () => seen.push('a'));
    bus.subscribe('goal.reached', () => seen.push('b'));
    const offStar = bus.subscribe('*', () => seen.push('*'));
    offA();
    offStar();
    offA(); // twice is harmless
    await bus.publish(reached);
    expect(seen).toEqual(['b']);
  });

  it('keeps one handler subscribed twice as two subscriptions', async () => {
    const bus = createMemoryEventBus();
    let calls = 0;
    const handler = () => {
      calls++;
    };
    const off1 = bus.subscribe('goal.reached', handler);
    bus.subscribe('goal.reached', handler);
    off1();
    await bus.publish(reached);
    expect(calls).toBe(1);
  });

  it('keeps delivering when a subscriber throws or rejects, and reports the error', async () => {
    const errors: Array<{ message: string; type: string }> = [];
    const bus = createMemoryEventBus({
      onError: (error, event) => errors.push({ message: (error as Error).message, type: event.type }),
    });
    const seen: string[] = [];
    bus.subscribe('goal.reached', () => {
      throw new Error('first broke');
    });
    bus.subscribe('goal.reached', () => seen.push('second'));
    bus.subscribe('*', async () => {
      throw new Error('async broke');
    });
    bus.subscribe('*', () => seen.push('star'));

    await expect(bus.publish(reached)).resolves.toBeUndefined();
    await Promise.resolve();
    expect(seen).toEqual(['second', 'star']);
    expect(errors).toEqual([
      { message: 'first broke', type: 'goal.reached' },
      { message: 'async broke', type: 'goal.reached' },
    ]);
  });

  it('stops delivering after close()', async () => {
    const bus = createMemoryEventBus();
    const seen: string[] = [];
    bus.subscribe('goal.reached', () => seen.push('typed'));
    bus.subscribe('*', () => seen.push('star'));
    await bus.close();
    await bus.publish(reached);
    const off = bus.subscribe('*', () => seen.push('late'));
    await bus.publish(reached);
    off();
    expect(seen).toEqual([]);
  });
});
