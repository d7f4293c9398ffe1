import { afterEach, describe, expect, it, vi } from 'vitest';
import { FinkitError, type FinkitErrorCode } from '../errors/finkit-error.js';
import type { JobRunner } from '../ports/job-runner.js';
import { createMemoryJobRunner, type FailedJob } from './create-memory-job-runner.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function codeOf(
  fn: () => Promise<unknown>,
): Promise<FinkitErrorCode | 'no error' | 'not a FinkitError'> {
  try {
    await fn();
  } catch (error) {
    return FinkitError.isInstance(error) ? error.code : 'not a FinkitError';
  }
  return 'no error';
}

/** Waits until `predicate` holds, checking on each macrotask (bounded, never a fixed sleep). */
async function until(predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !predicate(); i++) await pause(1);
  expect(predicate()).toBe(true);
}

const runners: JobRunner[] = [];
function runner(options: Parameters<typeof createMemoryJobRunner>[0] = {}): JobRunner {
  const created = createMemoryJobRunner({ onError: () => {}, ...options });
  runners.push(created);
  return created;
}

afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(runners.splice(0).map((r) => r.stop({ timeoutMs: 0 })));
});

describe('createMemoryJobRunner', () => {
  it('runs a job with its payload, id and attempt, and reports idle after', async () => {
    const jobs = runner();
    const seen: Array<{ payload: object; id: string; attempt: number }> = [];
    await jobs.work<{ connectionId: string }>('sync', async (payload, job) => {
      seen.push({ payload, ...job });
    });
    const id = await jobs.enqueue('sync', { connectionId: 'c1' });
    await jobs.idle();
    expect(seen).toEqual([{ payload: { connectionId: 'c1' }, id, attempt: 1 }]);
    expect(typeof id).toBe('string');
    expect(jobs.capabilities).toEqual({ distributed: false });
  });

  it('runs at most `concurrency` jobs at once', async () => {
    const jobs = runner({ concurrency: 2 });
    const gate = deferred();
    let running = 0;
    let peak = 0;
    let done = 0;
    await jobs.work('slow', async () => {
      running++;
      peak = Math.max(peak, running);
      await gate.promise;
      running--;
      done++;
    });
    for (let i = 0; i < 5; i++) await jobs.enqueue('slow', { i });
    await until(() => running === 2);
    gate.resolve();
    await jobs.idle();
    expect(peak).toBe(2);
    expect(done).toBe(5);
  });

  describe('singleton keys', () => {
    it('makes a duplicate of a queued job a no-op', async () => {
      const jobs = runner({ concurrency: 1 });
      const gate = deferred();
      const runs: string[] = [];
      await jobs.work('block', () => gate.promise);
      await jobs.work<{ n: number }>('sync', async (payload) => {
        runs.push(`sync${payload.n}`);
      });
      await jobs.enqueue('block', {});
      const first = await jobs.enqueue('sync', { n: 1 }, { singletonKey: 'c1' });
      const duplicate = await jobs.enqueue('sync', { n: 2 }, { singletonKey: 'c1' });
      const otherKey = await jobs.enqueue('sync', { n: 3 }, { singletonKey: 'c2' });
      expect(first).not.toBeNull();
      expect(duplicate).toBeNull();
      expect(otherKey).not.toBeNull();
      gate.resolve();
      await jobs.idle();
      expect(runs).toEqual(['sync1', 'sync3']);
    });

    it('coalesces enqueues during a run into exactly one follow-up, never overlapping', async () => {
      const jobs = runner({ concurrency: 4 });
      const gates = [deferred(), deferred()];
      const runs: number[] = [];
      let running = 0;
      let overlapped = false;
      await jobs.work<{ n: number }>('sync', async (payload) => {
        if (running > 0) overlapped = true;
        running++;
        runs.push(payload.n);
        await gates[runs.length - 1]?.promise;
        running--;
      });
      await jobs.enqueue('sync', { n: 1 }, { singletonKey: 'c1' });
      await until(() => runs.length === 1);

      const followUp = await jobs.enqueue('sync', { n: 2 }, { singletonKey: 'c1' });
      expect(followUp).not.toBeNull();
      expect(await jobs.enqueue('sync', { n: 3 }, { singletonKey: 'c1' })).toBeNull();
      expect(await jobs.enqueue('sync', { n: 4 }, { singletonKey: 'c1' })).toBeNull();

      gates[0]?.resolve();
      await until(() => runs.length === 2);
      // The follow-up is running now, so the next enqueue books the next follow-up.
      expect(await jobs.enqueue('sync', { n: 5 }, { singletonKey: 'c1' })).not.toBeNull();
      expect(await jobs.enqueue('sync', { n: 6 }, { singletonKey: 'c1' })).toBeNull();
      gates[1]?.resolve();
      await jobs.idle();
      expect(runs).toEqual([1, 2, 5]);
      expect(overlapped).toBe(false);
    });

    it('frees the key after the last run, so a later enqueue runs again', async () => {
      const jobs = runner();
      let runs = 0;
      await jobs.work('sync', async () => {
        runs++;
      });
      await jobs.enqueue('sync', {}, { singletonKey: 'k' });
      await jobs.idle();
      expect(await jobs.enqueue('sync', {}, { singletonKey: 'k' })).not.toBeNull();
      await jobs.idle();
      expect(runs).toBe(2);
    });
  });

  describe('retries', () => {
    it('retries a failing job and stops retrying once it succeeds', async () => {
      const failed: FailedJob[] = [];
      const jobs = runner({ onError: (_error, job) => failed.push(job) });
      const attempts: number[] = [];
      await jobs.work('flaky', async (_payload, job) => {
        attempts.push(job.attempt);
        if (job.attempt < 3) throw new Error(`attempt ${job.attempt} failed`);
      });
      await jobs.enqueue('flaky', {}, { retryLimit: 3, retryDelayMs: 1 });
      await jobs.idle();
      expect(attempts).toEqual([1, 2, 3]);
      expect(failed).toEqual([]);
    });

    it('reports the error once retries are spent, including synchronous throws', async () => {
      const failed: Array<{ message: string; job: FailedJob }> = [];
      const jobs = runner({
        onError: (error, job) => failed.push({ message: (error as Error).message, job }),
      });
      let attempts = 0;
      await jobs.work('broken', (() => {
        attempts++;
        throw new Error('always');
      }) as () => Promise<void>);
      const id = await jobs.enqueue('broken', { x: 1 }, { retryLimit: 2, retryDelayMs: 1 });
      await jobs.idle();
      expect(attempts).toBe(3);
      expect(failed).toEqual([
        { message: 'always', job: { id, name: 'broken', attempt: 3, payload: { x: 1 } } },
      ]);
    });

    it('backs off exponentially from retryDelayMs', async () => {
      vi.useFakeTimers();
      const jobs = runner();
      let attempts = 0;
      await jobs.work('broken', async () => {
        attempts++;
        throw new Error('no');
      });
      await jobs.enqueue('broken', {}, { retryLimit: 3, retryDelayMs: 100 });
      await vi.advanceTimersByTimeAsync(0);
      expect(attempts).toBe(1);
      for (const [wait, expected] of [
        [100, 2],
        [200, 3],
        [400, 4],
      ] as const) {
        await vi.advanceTimersByTimeAsync(wait - 1);
        expect(attempts).toBe(expected - 1);
        await vi.advanceTimersByTimeAsync(1);
        expect(attempts).toBe(expected);
      }
      await vi.advanceTimersByTimeAsync(10_000);
      expect(attempts).toBe(4);
    });

    it('frees the concurrency slot while backing off', async () => {
      const jobs = runner({ concurrency: 1 });
      const order: string[] = [];
      await jobs.work<{ name: string }>('job', async (payload, job) => {
        order.push(`${payload.name}${job.attempt}`);
        if (payload.name === 'a' && job.attempt === 1) throw new Error('retry me');
      });
      await jobs.enqueue('job', { name: 'a' }, { retryDelayMs: 15 });
      await jobs.enqueue('job', { name: 'b' });
      await jobs.idle();
      expect(order).toEqual(['a1', 'b1', 'a2']);
    });
  });

  it('waits delayMs before running', async () => {
    vi.useFakeTimers();
    const jobs = runner();
    const runs: string[] = [];
    await jobs.work<{ n: string }>('job', async (payload) => {
      runs.push(payload.n);
    });
    await jobs.enqueue('job', { n: 'late' }, { delayMs: 50 });
    await jobs.enqueue('job', { n: 'now' });
    await vi.advanceTimersByTimeAsync(49);
    expect(runs).toEqual(['now']);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toEqual(['now', 'late']);
  });

  it('idle() waits for delayed jobs', async () => {
    const jobs = runner();
    let ran = false;
    await jobs.work('job', async () => {
      ran = true;
    });
    await jobs.enqueue('job', {}, { delayMs: 10 });
    await jobs.idle();
    expect(ran).toBe(true);
  });

  it('keeps jobs without a handler until work() registers one', async () => {
    const jobs = runner();
    const runs: number[] = [];
    await jobs.enqueue<{ n: number }>('later', { n: 1 });
    await jobs.enqueue<{ n: number }>('later', { n: 2 }, { singletonKey: 'k' });
    expect(await jobs.enqueue('later', { n: 3 }, { singletonKey: 'k' })).toBeNull();
    await jobs.idle(); // does not wait for jobs nobody can run
    expect(runs).toEqual([]);
    await jobs.work<{ n: number }>('later', async (payload) => {
      runs.push(payload.n);
    });
    await jobs.idle();
    expect(runs).toEqual([1, 2]);
  });

  it('refuses a second handler for one name, and bad options', async () => {
    const jobs = runner();
    await jobs.work('job', async () => {});
    expect(await codeOf(() => jobs.work('job', async () => {}))).toBe('CONFLICT');
    expect(await codeOf(() => jobs.enqueue('job', {}, { retryLimit: -1 }))).toBe('VALIDATION');
    expect(await codeOf(() => jobs.enqueue('job', {}, { retryLimit: 1.5 }))).toBe('VALIDATION');
    expect(await codeOf(() => jobs.enqueue('job', {}, { delayMs: Number.NaN }))).toBe('VALIDATION');
    expect(await codeOf(() => jobs.enqueue('', {}))).toBe('VALIDATION');
    expect(() => createMemoryJobRunner({ concurrency: 0 })).toThrow(FinkitError);
  });

  describe('schedule', () => {
    it('runs every `everyMs`, and scheduling again replaces the schedule', async () => {
      vi.useFakeTimers();
      const jobs = runner();
      const runs: string[] = [];
      await jobs.work<{ v: string }>('tick', async (payload) => {
        runs.push(payload.v);
      });
      await jobs.schedule('tick', { everyMs: 10 }, { v: 'a' });
      await vi.advanceTimersByTimeAsync(35);
      expect(runs).toEqual(['a', 'a', 'a']);
      await jobs.schedule('tick', { everyMs: 100 }, { v: 'b' });
      await vi.advanceTimersByTimeAsync(99);
      expect(runs).toEqual(['a', 'a', 'a']);
      await vi.advanceTimersByTimeAsync(1);
      expect(runs).toEqual(['a', 'a', 'a', 'b']);
    });

    it('runs a cron expression at its UTC minutes, by the runner clock', async () => {
      vi.useFakeTimers();
      vi.setSystemTime(new Date('2024-01-01T12:59:30.000Z'));
      const jobs = runner({ clock: { now: () => new Date() } });
      const runs: string[] = [];
      await jobs.work('hourly', async () => {
        runs.push(new Date().toISOString());
      });
      await jobs.schedule('hourly', '0 * * * *', {});
      await vi.advanceTimersByTimeAsync(29_999);
      expect(runs).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(runs).toEqual(['2024-01-01T13:00:00.000Z']);
      await vi.advanceTimersByTimeAsync(60 * 60 * 1000);
      expect(runs).toEqual(['2024-01-01T13:00:00.000Z', '2024-01-01T14:00:00.000Z']);
    });

    it('fires each cron slot once even when the injected clock stands still', async () => {
      const fixed = new Date('2024-01-01T12:59:59.990Z');
      const jobs = runner({ clock: { now: () => fixed } });
      let runs = 0;
      await jobs.work('hourly', async () => {
        runs++;
      });
      await jobs.schedule('hourly', '0 * * * *', {});
      await until(() => runs === 1);
      await pause(30);
      expect(runs).toBe(1);
    });

    it('rejects malformed schedules with VALIDATION', async () => {
      const jobs = runner();
      expect(await codeOf(() => jobs.schedule('x', '61 * * * *', {}))).toBe('VALIDATION');
      expect(await codeOf(() => jobs.schedule('x', 'every hour', {}))).toBe('VALIDATION');
      expect(await codeOf(() => jobs.schedule('x', { everyMs: 0 }, {}))).toBe('VALIDATION');
      expect(await codeOf(() => jobs.schedule('x', { everyMs: Number.POSITIVE_INFINITY }, {}))).toBe(
        'VALIDATION',
      );
    });
  });

  describe('stop', () => {
    it('waits for running jobs, drops queued ones and refuses new work', async () => {
      const jobs = createMemoryJobRunner({ concurrency: 1, onError: () => {} });
      const gate = deferred();
      const events: string[] = [];
      await jobs.work<{ n: number }>('job', async (payload) => {
        events.push(`start${payload.n}`);
        if (payload.n === 1) await gate.promise;
        events.push(`end${payload.n}`);
      });
      await jobs.enqueue('job', { n: 1 });
      await jobs.enqueue('job', { n: 2 });
      await until(() => events.length === 1);
      const stopping = jobs.stop().then(() => events.push('stopped'));
      await pause(5);
      expect(events).toEqual(['start1']);
      gate.resolve();
      await stopping;
      await jobs.idle();
      expect(events).toEqual(['start1', 'end1', 'stopped']);
      expect(await codeOf(() => jobs.enqueue('job', { n: 3 }))).toBe('CONFLICT');
    });

    it('gives up waiting after timeoutMs', async () => {
      const jobs = createMemoryJobRunner({ onError: () => {} });
      const gate = deferred();
      let started = false;
      let finished = false;
      await jobs.work('stuck', async () => {
        started = true;
        await gate.promise;
        finished = true;
      });
      await jobs.enqueue('stuck', {});
      await until(() => started);
      await jobs.stop({ timeoutMs: 5 });
      expect(finished).toBe(false);
      gate.resolve();
      await jobs.idle();
      expect(finished).toBe(true);
    });

    it('clears schedules, delayed jobs and pending retries', async () => {
      vi.useFakeTimers();
      const jobs = createMemoryJobRunner({ onError: () => {} });
      const runs: string[] = [];
      await jobs.work<{ v: string }>('job', async (payload, job) => {
        runs.push(`${payload.v}${job.attempt}`);
        if (payload.v === 'retry') throw new Error('again');
      });
      await jobs.schedule('job', { everyMs: 100 }, { v: 'tick' });
      await jobs.schedule('cron', '* * * * *', {});
      await jobs.enqueue('job', { v: 'delayed' }, { delayMs: 100 });
      await jobs.enqueue('job', { v: 'retry' }, { retryDelayMs: 100 });
      await vi.advanceTimersByTimeAsync(0);
      expect(runs).toEqual(['retry1']);
      await jobs.stop();
      await vi.advanceTimersByTimeAsync(10 * 60 * 1000);
      await jobs.idle();
      expect(runs).toEqual(['retry1']);
      expect(vi.getTimerCount()).toBe(0);
    });
  });
});
