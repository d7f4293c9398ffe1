export interface RetryOptions {
  /** Attempts in all, the first included. Default 5. */
  attempts: number;
  /** Delay before the second attempt; doubles each time. Default 1000 ms. */
  baseMs: number;
  /** Cap on one delay. Default 60 000 ms. */
  maxMs: number;
}

export const defaultRetry: RetryOptions = { attempts: 5, baseMs: 1000, maxMs: 60_000 };

/**
 * Exponential backoff with "equal jitter": half the exponential delay plus a random half, so
 * many failing sends spread out instead of retrying in lockstep. A receiver's `Retry-After` is a
 * floor. `attempt` is the number of attempts already made (1 after the first failure).
 */
export function retryDelay(
  attempt: number,
  options: RetryOptions,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(options.maxMs, options.baseMs * 2 ** (attempt - 1));
  const jittered = exponential / 2 + random() * (exponential / 2);
  return Math.max(jittered, Math.min(retryAfterMs ?? 0, options.maxMs * 10));
}
