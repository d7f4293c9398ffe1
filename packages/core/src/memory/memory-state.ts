import type { Account } from '../schemas/account.js';
import type { Budget } from '../schemas/budget.js';
import type { Category } from '../schemas/category.js';
import type { Connection } from '../schemas/connection.js';
import type { Goal, GoalContribution } from '../schemas/goal.js';
import type { Notification } from '../schemas/notification.js';
import type { Rule } from '../schemas/rule.js';
import type { Transaction } from '../schemas/transaction.js';

export interface StoredEmbedding {
  transactionId: string;
  model: string;
  vector: Float32Array;
}

/**
 * Everything the memory store holds. Rows are never mutated in place: a write replaces them, so a
 * shallow copy of the maps is a snapshot, and a write that throws leaves the last snapshot intact.
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
}

export function createMemoryState(): MemoryState {
  return {
    connections: new Map(),
    accounts: new Map(),
    transactions: new Map(),
    embeddings: new Map(),
    rules: new Map(),
    categories: new Map(),
    budgets: new Map(),
    thresholdCrossings: new Set(),
    goals: new Map(),
    goalMilestones: new Set(),
    contributions: new Map(),
    notifications: new Map(),
  };
}

/**
 * A draft of `state` whose collections are copied the first time a write touches them, so a
 * write to one small collection never pays for copying 100,000 transactions. `commit()` gives
 * the next snapshot: touched collections replaced, the rest shared with the previous one.
 */
export function draftMemoryState(state: MemoryState): { draft: MemoryState; commit(): MemoryState } {
  const copies = new Map<keyof MemoryState, unknown>();
  const draft = {} as MemoryState;
  for (const key of Object.keys(state) as (keyof MemoryState)[]) {
    Object.defineProperty(draft, key, {
      enumerable: true,
      get() {
        if (!copies.has(key)) {
          const original = state[key];
          copies.set(
            key,
            original instanceof Map
              ? new Map(original as Map<string, unknown>)
              : new Set(original as Set<string>),
          );
        }
        return copies.get(key);
      },
    });
  }
  return {
    draft,
    commit: () => Object.assign({ ...state }, Object.fromEntries(copies)) as MemoryState,
  };
}

export const embeddingKey = (transactionId: string, model: string): string =>
  `${transactionId}\u0000${model}`;
