import { describe, expect, it } from 'vitest';
import { createConnectionLock } from './connection-lock.js';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

describe('createConnectionLock', () => {
  it('joins a request made before the queued run started', async () => {
    const lock = createConnectionLock();
    let runs = 0;
    const work = async () => ++runs;
    const [a, b] = [lock.coalesce('c1', work), lock.coalesce('c1', work)];
    expect(await Promise.all([a, b])).toEqual([1, 1]);
  });

  it('coalesces requests made during a run into exactly one follow-up run', async () => {
    const lock = createConnectionLock();
    const first = gate();
    const started = gate();
    let runs = 0;
    const work = async () => {
      runs += 1;
      const run = runs;
      if (run === 1) {
        started.open();
        await first.opened;
      }
      return run;
    };
    const a = lock.coalesce('c1', work);
    await started.opened;
    const b = lock.coalesce('c1', work);
    const c = lock.coalesce('c1', work);
    const d = lock.coalesce('c1', work);
    first.open();
    expect(await a).toBe(1);
    expect(await Promise.all([b, c, d])).toEqual([2, 2, 2]);
    expect(runs).toBe(2);
    expect(lock.isBusy('c1')).toBe(false);
  });

  it('never runs two tasks of one key at once, but runs different keys independently', async () => {
    const lock = createConnectionLock();
    const active = new Map<string, number>();
    let maxSame = 0;
    const other = gate();
    const task = (key: string) => async () => {
      active.set(key, (active.get(key) ?? 0) + 1);
      maxSame = Math.max(maxSame, active.get(key) ?? 0);
      await new Promise((r) => setImmediate(r));
      active.set(key, (active.get(key) ?? 0) - 1);
    };
    const blocked = lock.run('x', () => other.opened);
    // 'y' completes while 'x' is still blocked.
    await lock.run('y', task('y'));
    const queued = [lock.run('x', task('x')), lock.coalesce('x', task('x')), lock.run('x', task('x'))];
    other.open();
    await Promise.all([blocked, ...queued]);
    expect(maxSame).toBe(1);
  });

  it('a failed run rejects its callers and still lets the follow-up run', async () => {
    const lock = createConnectionLock();
    const first = gate();
    const started = gate();
    const a = lock.coalesce('c', async () => {
      started.open();
      await first.opened;
      throw new Error('boom');
    });
    await started.opened;
    const b = lock.coalesce('c', async () => 'ok');
    first.open();
    await expect(a).rejects.toThrow('boom');
    await expect(b).resolves.toBe('ok');
  });
});
