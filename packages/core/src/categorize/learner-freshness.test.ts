import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../memory/memory-store.js';
import type { Store } from '../ports/store.js';
import { createCategorizer } from './create-categorizer.js';
import { createStoreLearnerState } from './create-store-learner-state.js';

const user = 'alice';
const tx = (description: string) => ({ description, amount: -2_400, date: '2024-03-05' });

// Two categorizers over one store stand for two processes: each caches the learned state.
function twoProcesses(store: Store) {
  const make = () => createCategorizer({ store, learner: createStoreLearnerState(store) });
  return [make(), make()] as const;
}

describe('learned state across processes', () => {
  it("sees another process's correction on its next categorize call, without a restart", async () => {
    const store = createMemoryStore();
    const [a, b] = twoProcesses(store);
    const [before] = await b.categorize(user, [tx('GREAT WESTERN POWER CO OAKLAND CA')]);
    expect(before!.categoryId).toBe('bills_and_utilities'); // the keyword POWER
    await a.recordCorrection(user, tx('GREAT WESTERN POWER CO OAKLAND CA'), 'personal_care');
    const [after] = await b.categorize(user, [tx('GREAT WESTERN POWER CO OAKLAND CA')]);
    expect(after).toMatchObject({ categoryId: 'personal_care', signal: 'learned' });
  });

  it('loses no correction when two processes learn at once', async () => {
    const store = createMemoryStore();
    const [a, b] = twoProcesses(store);
    // Both have the (empty) state cached before either writes.
    await Promise.all([a.categorize(user, [tx('WARM UP')]), b.categorize(user, [tx('WARM UP')])]);
    await Promise.all([
      a.recordCorrection(user, tx('ROCKRIDGE CLEANERS OAKLAND CA'), 'personal_care'),
      b.recordCorrection(user, tx('PIEDMONT PIANO LESSONS OAKLAND CA'), 'education'),
      a.recordCorrection(user, tx('BLUE HERON FRAMING OAKLAND CA'), 'shopping'),
      b.recordCorrection(user, tx('ZQX HOLDINGS OAKLAND CA'), 'travel'),
    ]);
    const saved = JSON.parse((await store.learnerState.get(user))!.json) as { corrections: number };
    expect(saved.corrections).toBe(4);
    for (const c of [a, b]) {
      const results = await c.categorize(user, [
        tx('ROCKRIDGE CLEANERS OAKLAND CA'),
        tx('PIEDMONT PIANO LESSONS OAKLAND CA'),
        tx('BLUE HERON FRAMING OAKLAND CA'),
        tx('ZQX HOLDINGS OAKLAND CA'),
      ]);
      expect(results.map((r) => [r.categoryId, r.signal])).toEqual([
        ['personal_care', 'learned'],
        ['education', 'learned'],
        ['shopping', 'learned'],
        ['travel', 'learned'],
      ]);
    }
  });

  it('asks the store for the version once per call, not per row', async () => {
    const store = createMemoryStore();
    let versionReads = 0;
    const counting: Store = {
      ...store,
      learnerState: {
        ...store.learnerState,
        version: (userId) => {
          versionReads += 1;
          return store.learnerState.version(userId);
        },
      },
    };
    const [a] = twoProcesses(counting);
    await a.categorize(
      user,
      Array.from({ length: 500 }, (_, i) => tx(`MERCHANT ${i}`)),
    );
    expect(versionReads).toBe(1);
  });

  it('keeps no trace of a correction whose save failed', async () => {
    const store = createMemoryStore();
    let failNext = true;
    const flaky: Store = {
      ...store,
      learnerState: {
        ...store.learnerState,
        put: (userId, json, expectedVersion) => {
          if (failNext) {
            failNext = false;
            return Promise.reject(new Error('database down'));
          }
          return store.learnerState.put(userId, json, expectedVersion);
        },
      },
    };
    const [a, b] = twoProcesses(flaky);
    await expect(a.recordCorrection(user, tx('ROCKRIDGE CLEANERS OAKLAND CA'), 'travel')).rejects.toThrow(
      'database down',
    );
    await a.recordCorrection(user, tx('PIEDMONT PIANO LESSONS OAKLAND CA'), 'education');
    const saved = JSON.parse((await store.learnerState.get(user))!.json) as { corrections: number };
    expect(saved.corrections).toBe(1);
    // Both processes answer alike: neither learned from the failed correction.
    const [inA] = await a.categorize(user, [tx('ROCKRIDGE CLEANERS OAKLAND CA')]);
    const [inB] = await b.categorize(user, [tx('ROCKRIDGE CLEANERS OAKLAND CA')]);
    expect(inA).toEqual(inB);
    expect(inA!.categoryId).not.toBe('travel');
  });
});
