/**
 * Serializes work per key (a connection id) within one process. `coalesce` is for idempotent
 * work such as a sync: a request made while one runs joins the single follow-up run that starts
 * after it, so N concurrent requests cost at most two runs and every caller's promise settles
 * only after a run that started after its request.
 */
export interface ConnectionLock {
  /** Runs `fn` exclusively for `key`, after everything already queued for it. */
  run<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /** Like `run`, but joins a queued, not yet started coalescing task of the same key. */
  coalesce<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /** True while something runs or waits for `key`. */
  isBusy(key: string): boolean;
}

interface KeyState {
  tail: Promise<void>;
  /** Tasks queued or running. */
  size: number;
  /** The coalescing task queued but not started, if any. */
  waiting: Promise<unknown> | null;
}

export function createConnectionLock(): ConnectionLock {
  const keys = new Map<string, KeyState>();

  function enqueue<T>(key: string, fn: () => Promise<T>, onStart?: () => void): Promise<T> {
    let state = keys.get(key);
    if (!state) {
      state = { tail: Promise.resolve(), size: 0, waiting: null };
      keys.set(key, state);
    }
    const current = state;
    current.size += 1;
    const result = current.tail.then(() => {
      onStart?.();
      return fn();
    });
    const settled = result.then(
      () => undefined,
      () => undefined,
    );
    current.tail = settled.then(() => {
      current.size -= 1;
      // Drop idle keys so a long-lived process does not keep one entry per connection ever seen.
      if (current.size === 0 && keys.get(key) === current) keys.delete(key);
    });
    return result;
  }

  return {
    run: (key, fn) => enqueue(key, fn),
    coalesce<T>(key: string, fn: () => Promise<T>): Promise<T> {
      const waiting = keys.get(key)?.waiting;
      if (waiting) return waiting as Promise<T>;
      const task = enqueue(key, fn, () => {
        const state = keys.get(key);
        if (state && state.waiting === task) state.waiting = null;
      });
      // Joinable until it starts: before then it has not read the cursor, so it will see every
      // change made before a joining caller's request.
      const state = keys.get(key);
      if (state) state.waiting = task;
      return task;
    },
    isBusy: (key) => keys.has(key),
  };
}
