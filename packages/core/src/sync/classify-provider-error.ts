import { FinkitError } from '../errors/finkit-error.js';

/** What the sync engine does about an error thrown by a BankProvider. */
export type ProviderErrorKind =
  /** The user must log in again: stop, mark the connection, never retry. */
  | 'reauth'
  /** The data changed while paging: restart the run from its first cursor. */
  | 'mutation'
  /** Throttled: wait as long as the provider asks, then retry. */
  | 'rate_limited'
  /** 5xx, timeouts, network failures: retry with backoff. */
  | 'transient'
  /** Retrying cannot help (bad request, invalid token, a bug). */
  | 'fatal';

export const MUTATION_DURING_PAGINATION = 'TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION';

export function classifyProviderError(error: unknown): ProviderErrorKind {
  if (!FinkitError.isInstance(error)) {
    // Anything not mapped by the provider is a socket, DNS or timeout failure on the way there.
    return 'transient';
  }
  switch (error.code) {
    case 'REAUTH_REQUIRED':
      return 'reauth';
    case 'RATE_LIMITED':
      return 'rate_limited';
    case 'PROVIDER': {
      if (error.details.providerCode === MUTATION_DURING_PAGINATION) return 'mutation';
      const status = error.details.status ?? error.details.httpStatus;
      // A 4xx the provider answered deliberately will be answered the same way again.
      if (typeof status === 'number' && status >= 400 && status < 500 && status !== 408) return 'fatal';
      return 'transient';
    }
    default:
      return 'fatal';
  }
}
