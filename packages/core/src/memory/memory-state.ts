import type { Account } from '../schemas/account.js';
import type { Budget } from '../schemas/budget.js';
import type { Category } from '../schemas/category.js';
import type { Connection } from '../schemas/connection.js';
import type { Goal, GoalContribution } from '../schemas/goal.js';
import type { Notification } from '../schemas/notification.js';
import type { PushSubscriptionRecord } from '../schemas/push-subscription.js';
import type { Rule } from '../schemas/rule.js';
import type { Transaction } from '../schemas/transaction.js';

export interface StoredEmbedding {
  transactionId: string;
  model: string;
  vector: Float32Array;
}

/**
 * Everything the memory store holds. Rows are never mutated in place: a write replaces them, so
 * undoing a write only has to put the old row objects back.
 */
export interface MemoryState {
  connections: Map<string, Connection>;
  accounts: Map<string, Account>;
  transactions: Map<string, Transaction>;
  /** Keyed by `embeddingKey(transactionId, model)`. */
  embeddings: Map<string, StoredEmbedding>;
  rules: Map<string, Rule>;
  /** The users' own categories; the defaults are not stored. */
  categories: Map<string, Category>;
  budgets: Map<string, Budget>;
  /** Keyed by `budgetId|periodStart|threshold`. */
  thresholdCrossings: Set<string>;
  goals: Map<string, Goal>;
  /** Keyed by `goalId|key`. */
  goalMilestones: Set<string>;
  contributions: Map<string, GoalContribution>;
  notifications: Map<string, Notification>;
  /** Notification id by `userId \u0000 dedupeKey`, so a dedupe check is not a scan. */
  notificationKeys: Map<string, string>;
  /** The categorizer's learned state as JSON, by user id. */
  learnerState: Map<string, { json: string; version: number }>;
  /** Keyed by endpoint: a browser's subscription belongs to one user, the last to add it. */
  pushSubscriptions: Map<string, { userId: string; subscription: PushSubscriptionRecord; createdAt: Date }>;
  /** Each user's own notification choices as JSON, by user id. */
  notificationPreferences: Map<string, { json: string; version: number }>;
}

export function createMemoryState(): MemoryState {
  return {
    connections: new JournaledMap(),
    accounts: new JournaledMap(),
    transactions: new JournaledMap(),
    embeddings: new JournaledMap(),
    rules: new JournaledMap(),
    categories: new JournaledMap(),
    budgets: new JournaledMap(),
    thresholdCrossings: new JournaledSet(),
    goals: new JournaledMap(),
    goalMilestones: new JournaledSet(),
    contributions: new JournaledMap(),
    notifications: new JournaledMap(),
    notificationKeys: new JournaledMap(),
    learnerState: new JournaledMap(),
    pushSubscriptions: new JournaledMap(),
    notificationPreferences: new JournaledMap(),
  };
}

type Undo = () => void;

/**
 * A Map that, during a write, records how to undo each change. Writes then cost what they change,
 * not the size of the store, and a write that throws is rolled back to exactly what it found.
 */
export class JournaledMap<K, V> extends Map<K, V> {
  // Not a private field: Map's constructor may call `set` before subclass fields exist.
  journal: Undo[] | null = null;

  override set(key: K, value: V): this {
    if (this.journal) {
      const had = super.has(key);
      const old = super.get(key) as V;
      this.journal.push(had ? () => super.set(key, old) : () => super.delete(key));
    }
    return super.set(key, value);
  }

  override delete(key: K): boolean {
    if (this.journal && super.has(key)) {
      const old = super.get(key) as V;
      this.journal.push(() => super.set(key, old));
    }
    return super.delete(key);
  }

  override clear(): void {
    if (this.journal) {
      const entries = [...super.entries()];
      this.journal.push(() => {
        for (const [key, value] of entries) super.set(key, value);
      });
    }
    super.clear();
  }
}

/** The Set counterpart of `JournaledMap`. */
export class JournaledSet<T> extends Set<T> {
  journal: Undo[] | null = null;

  override add(value: T): this {
    if (this.journal && !super.has(value)) this.journal.push(() => super.delete(value));
    return super.add(value);
  }

  override delete(value: T): boolean {
    if (this.journal && super.has(value)) this.journal.push(() => super.add(value));
    return super.delete(value);
  }

  override clear(): void {
    if (this.journal) {
      const values = [...super.values()];
      this.journal.push(() => {
        for (const value of values) super.add(value);
      });
    }
    super.clear();
  }
}

/**
 * Runs `fn` as one all-or-nothing write: every change is journaled, and when `fn` throws the
 * journal is replayed backwards. Writes never await, so no reader sees a half-done write.
 */
export function writeAtomically<T>(state: MemoryState, fn: () => T): T {
  const journal: Undo[] = [];
  const collections = Object.values(state) as (JournaledMap<unknown, unknown> | JournaledSet<unknown>)[];
  for (const collection of collections) collection.journal = journal;
  try {
    return fn();
  } catch (error) {
    for (const collection of collections) collection.journal = null;
    for (let i = journal.length - 1; i >= 0; i--) journal[i]!();
    throw error;
  } finally {
    for (const collection of collections) collection.journal = null;
  }
}

export const embeddingKey = (transactionId: string, model: string): string =>
  `${transactionId}\u0000${model}`;
