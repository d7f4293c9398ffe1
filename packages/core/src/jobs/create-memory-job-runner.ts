import { randomUUID } from 'node:crypto';
import PQueue from 'p-queue';
import { FinkitError } from '../errors/finkit-error.js';
import { type Clock, systemClock } from '../ports/clock.js';
import type { EnqueueOptions, JobHandler, JobRunner } from '../ports/job-runner.js';
import { nextCronTime, parseCron } from './parse-cron.js';

/** What `onError` learns about a job that failed its last attempt. */
export interface FailedJob {
  id: string;
  name: string;
  attempt: number;
  payload: object;
}

export interface MemoryJobRunnerOptions {
  /** Jobs running at once (default 4). */
  concurrency?: number;
  /** The "now" cron schedules are computed from (default the system clock). */
  clock?: Clock;
  /** Receives a job's error once its retries are spent. Defaults to `console.error`. */
  onError?: (error: unknown, job: FailedJob) => void;
}

interface Job {
  id: string;
  name: string;
  payload: object;
  singletonKey: string | undefined;
  retryLimit: number;
  retryDelayMs: number;
  delayMs: number;
  attempt: number;
}

interface SingletonState {
  /** A job with the key exists that has not started yet (enqueues are no-ops). */
  queued: boolean;
  /** A job with the key is between its first start and its final outcome, backoffs included. */
  running: boolean;
  /** The one coalesced run to start when the running job ends. */
  followUp: Job | undefined;
}

const defaultRetryLimit = 3;
const defaultRetryDelayMs = 1000;
const defaultStopTimeoutMs = 30_000;
// setTimeout fires at once for delays past 2^31 - 1 ms; longer waits are taken in steps.
const maxTimerMs = 2 ** 31 - 1;

function validation(message: string, details: Record<string, unknown>): FinkitError<'VALIDATION'> {
  return new FinkitError('VALIDATION', message, { details });
}

function nonNegative(value: number | undefined, name: string, fallback: number, integer = false): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    throw validation(`${name} must be a non-negative ${integer ? 'integer' : 'number'}`, { [name]: value });
  }
  return value;
}

/**
 * An in-process `JobRunner` on p-queue. Jobs live in memory: a restart or `stop()` drops the
 * ones not yet started. Jobs for a name without a handler wait until `work()` registers one;
 * `idle()` does not wait for those. A schedule enqueues with the singleton key
 * `schedule:<name>`, so a slow run never piles up more than one follow-up.
 */
export function createMemoryJobRunner(options: MemoryJobRunnerOptions = {}): JobRunner {
  const concurrency = options.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw validation('concurrency must be a positive integer', { concurrency });
  }
  const clock = options.clock ?? systemClock;
  const onError =
    options.onError ??
    ((error: unknown, job: FailedJob) => console.error(`finkit: job ${job.name} (${job.id}) failed`, error));

  const queue = new PQueue({ concurrency });
  const handlers = new Map<string, JobHandler<object>>();
  const parked = new Map<string, Job[]>();
  const singletons = new Map<string, SingletonState>();
  const timers = new Map<ReturnType<typeof setTimeout>, () => void>();
  const schedules = new Map<string, () => void>();
  const running = new Set<Promise<void>>();
  let idleWaiters: Array<() => void> = [];
  let stopped = false;
  // Jobs that will run without outside help: delayed, queued, running, backing off, follow-ups.
  let active = 0;

  function hold(): void {
    active++;
  }

  function release(): void {
    active--;
    if (active === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  function later(delayMs: number, fn: () => void, onCancel: () => void = () => {}): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, delayMs);
    timers.set(timer, onCancel);
  }

  /** Starts the job's clock: waits `delayMs`, then queues or parks it. */
  function dispatch(job: Job, delayMs: number): void {
    if (delayMs <= 0) {
      place(job);
      return;
    }
    hold();
    later(
      delayMs,
      () => {
        place(job);
        release();
      },
      release,
    );
  }

  function place(job: Job): void {
    if (stopped) return;
    if (!handlers.has(job.name)) {
      parked.set(job.name, [...(parked.get(job.name) ?? []), job]);
      return;
    }
    hold();
    void queue.add(() => run(job));
  }

  async function run(job: Job): Promise<void> {
    if (stopped) {
      release();
      return;
    }
    const state = job.singletonKey === undefined ? undefined : singletons.get(job.singletonKey);
    if (state) {
      state.queued = state.followUp !== undefined;
      state.running = true;
    }
    const handler = handlers.get(job.name);
    let failure: { error: unknown } | undefined;
    const attempt = (async () => {
      try {
        await handler?.(job.payload, { id: job.id, attempt: job.attempt });
      } catch (error) {
        failure = { error };
      }
    })();
    running.add(attempt);
    await attempt;
    running.delete(attempt);

    if (failure && job.attempt <= job.retryLimit && !stopped) {
      const backoff = Math.min(job.retryDelayMs * 2 ** (job.attempt - 1), maxTimerMs);
      job.attempt++;
      dispatch(job, backoff);
    } else {
      if (failure) report(failure.error, job);
      finish(job);
    }
    release();
  }

  function report(error: unknown, job: FailedJob): void {
    try {
      onError(error, { id: job.id, name: job.name, attempt: job.attempt, payload: job.payload });
    } catch {
      // A failing error reporter must not take the runner down with it.
    }
  }

  /** The job reached its final outcome: hand its singleton key to the follow-up, if any. */
  function finish(job: Job): void {
    if (job.singletonKey === undefined) return;
    const state = singletons.get(job.singletonKey);
    if (!state) return;
    const followUp = state.followUp;
    if (followUp && !stopped) {
      state.followUp = undefined;
      state.running = false;
      state.queued = true;
      dispatch(followUp, followUp.delayMs);
      release(); // the hold taken when the follow-up was enqueued
    } else {
      singletons.delete(job.singletonKey);
    }
  }

  function assertRunning(): void {
    if (stopped) throw new FinkitError('CONFLICT', 'The job runner is stopped');
  }

  async function enqueue<P extends object>(
    name: string,
    payload: P,
    enqueueOptions: EnqueueOptions = {},
  ): Promise<string | null> {
    assertRunning();
    if (typeof name !== 'string' || name === '')
      throw validation('Job name must be a non-empty string', { name });
    const job: Job = {
      id: randomUUID(),
      name,
      payload,
      singletonKey: enqueueOptions.singletonKey,
      retryLimit: nonNegative(enqueueOptions.retryLimit, 'retryLimit', defaultRetryLimit, true),
      retryDelayMs: nonNegative(enqueueOptions.retryDelayMs, 'retryDelayMs', defaultRetryDelayMs),
      delayMs: Math.min(nonNegative(enqueueOptions.delayMs, 'delayMs', 0), maxTimerMs),
      attempt: 1,
    };
    if (job.singletonKey !== undefined) {
      const state = singletons.get(job.singletonKey);
      if (state?.queued) return null;
      if (state?.running) {
        state.queued = true;
        state.followUp = job;
        hold();
        return job.id;
      }
      singletons.set(job.singletonKey, { queued: true, running: false, followUp: undefined });
    }
    dispatch(job, job.delayMs);
    return job.id;
  }

  function fire(name: string, payload: object): void {
    // Only a stopped runner or a validation bug can make this fail; report it like a job failure.
    enqueue(name, payload, { singletonKey: `schedule:${name}` }).catch((error: unknown) =>
      report(error, { id: '', name, attempt: 0, payload }),
    );
  }

  return {
    capabilities: { distributed: false },

    enqueue,

    async schedule(name, when, payload) {
      assertRunning();
      let cancelled = false;
      let handle: ReturnType<typeof setTimeout> | undefined;
      const arm = (delayMs: number, onFire: () => void) => {
        if (cancelled) return;
        handle = setTimeout(onFire, Math.min(Math.max(delayMs, 0), maxTimerMs));
      };
      if (typeof when === 'string') {
        const cron = parseCron(when);
        let next = nextCronTime(cron, clock.now());
        const tick = () => {
          const wait = next.getTime() - clock.now().getTime();
          if (wait > maxTimerMs) {
            arm(wait, tick);
            return;
          }
          arm(wait, () => {
            fire(name, payload);
            // From the later of the slot just fired and now: a slow clock cannot fire one slot
            // twice, and a host that slept skips the slots it missed instead of replaying them.
            const now = clock.now();
            next = nextCronTime(cron, new Date(Math.max(now.getTime(), next.getTime())));
            tick();
          });
        };
        schedules.get(name)?.();
        tick();
      } else {
        const everyMs = when?.everyMs;
        if (
          typeof everyMs !== 'number' ||
          !Number.isFinite(everyMs) ||
          everyMs <= 0 ||
          everyMs > maxTimerMs
        ) {
          throw validation(`everyMs must be a positive number of ms up to ${maxTimerMs}`, { everyMs });
        }
        const tick = () =>
          arm(everyMs, () => {
            fire(name, payload);
            tick();
          });
        schedules.get(name)?.();
        tick();
      }
      schedules.set(name, () => {
        cancelled = true;
        clearTimeout(handle);
      });
    },

    async work<P extends object>(name: string, handler: JobHandler<P>) {
      assertRunning();
      if (handlers.has(name)) {
        throw new FinkitError('CONFLICT', `A handler for job ${name} is already registered`, {
          details: { name },
        });
      }
      handlers.set(name, handler as JobHandler<object>);
      const waiting = parked.get(name) ?? [];
      parked.delete(name);
      for (const job of waiting) place(job);
    },

    idle() {
      if (active === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },

    async stop(stopOptions = {}) {
      const timeoutMs = nonNegative(stopOptions.timeoutMs, 'timeoutMs', defaultStopTimeoutMs);
      stopped = true;
      for (const cancel of schedules.values()) cancel();
      schedules.clear();
      for (const [timer, cancel] of timers) {
        clearTimeout(timer);
        cancel();
      }
      timers.clear();
      parked.clear();
      for (const state of singletons.values()) {
        if (state.followUp) {
          state.followUp = undefined;
          release();
        }
      }
      // Queued tasks drain at once: run() sees `stopped` and returns without calling handlers.
      if (running.size === 0) return;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      });
      await Promise.race([Promise.allSettled([...running]), timeout]);
      clearTimeout(timer);
    },
  };
}
