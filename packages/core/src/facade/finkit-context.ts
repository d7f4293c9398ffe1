import type { BankProvider } from '../ports/bank-provider.js';
import type { Clock } from '../ports/clock.js';
import type { Embedder } from '../ports/embedder.js';
import type { EventBus } from '../ports/event-bus.js';
import type { JobRunner } from '../ports/job-runner.js';
import type { Notifier } from '../ports/notifier.js';
import type { Store } from '../ports/store.js';
import type { TokenCipher } from '../ports/token-cipher.js';

/** What every part of the facade is built from; `createFinkit` fills the defaults. */
export interface FinkitContext {
  store: Store;
  provider: BankProvider;
  cipher: TokenCipher;
  events: EventBus;
  clock: Clock;
  jobs: JobRunner | null;
  embedder: Embedder | null;
  notifier: Notifier | null;
}
