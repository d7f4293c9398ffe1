import type { Clock } from '../ports/clock.js';
import type { Store } from '../ports/store.js';

/** A transaction row as the raw reader sees it in storage, bypassing the Store. */
export interface RawTransactionRow {
  id: string;
  providerTransactionId: string;
  accountId: string;
  amount: number;
  categoryId: string;
  notes: string | null;
  removed: boolean;
}

/**
 * An independent way to read what a Store wrote (raw SQL for a database store), so the suite does
 * not trust the Store to report its own writes. Optional: without it the suite reads through the
 * Store.
 */
export interface RawReader {
  /** The stored cursor of a connection; `undefined` when no such connection is stored. */
  connectionCursor(connectionId: string): Promise<string | null | undefined>;
  /** Provider account ids of every account stored for the connection, closed ones included. */
  accountProviderIds(connectionId: string): Promise<string[]>;
  /** Every transaction row stored for the connection, removed ones included. */
  transactions(connectionId: string): Promise<RawTransactionRow[]>;
}

export interface StoreUnderTest {
  store: Store;
  /** Runs after `store.close()`, e.g. to drop a test database. */
  cleanup?: () => Promise<void>;
  raw?: RawReader;
}

/** What the suite hands the factory. */
export interface StoreContractContext {
  /**
   * A clock that moves forward one millisecond on every read. Give it to the store so that rows
   * written one after another get increasing timestamps (the ordering tests rely on it).
   */
  clock: Clock;
}

export interface StoreContractOptions {
  /**
   * Tests to skip, by their exact title, each with the reason (printed with the skipped test).
   * A title that names no test fails the run, so a skip cannot outlive its test silently.
   */
  skip?: Readonly<Record<string, string>>;
  /** Time allowed for the factory, in ms (default 60 000: a database may need migrating). */
  setupTimeoutMs?: number;
}
