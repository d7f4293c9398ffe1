import { FinkitError } from '../errors/finkit-error.js';
import { classifyProviderError } from './classify-provider-error.js';

export interface RetryPolicy {
  /** Retries after the first failure of one call (transient errors and rate limits). */
  maxRetries: number;
  /** First backoff; doubles each retry, with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A provider asking for a longer wait than this makes the call fail instead. */
  maxRetryAfterMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxRetries: 3,
  baseDelayMs: 250,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 60_000,
};

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

/** Exponential backoff with full jitter, so many connections failing together spread out. */
export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

/**
 * Calls the provider, retrying transient failures and rate limits a bounded number of times.
 * Reauth, mutation-during-pagination and fatal errors are rethrown at once for the caller to act on.
 */
export async function retryProviderCall<T>(policy: RetryPolicy, call: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const kind = classifyProviderError(error);
      if ((kind !== 'transient' && kind !== 'rate_limited') || attempt >= policy.maxRetries) throw error;
      if (kind === 'rate_limited') {
        const asked = FinkitError.isInstance(error) ? error.retryAfterMs : undefined;
        if (asked !== undefined && asked > policy.maxRetryAfterMs) throw error;
        await sleep(asked ?? backoffDelay(policy, attempt));
      } else {
        await sleep(backoffDelay(policy, attempt));
      }
    }
  }
}
