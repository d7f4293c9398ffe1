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

export function copyMemoryState(state: MemoryState): MemoryState {
  return {
    connections: new Map(state.connections),
    accounts: new Map(state.accounts),
    transactions: new Map(state.transactions),
    embeddings: new Map(state.embeddings),
    rules: new Map(state.rules),
    categories: new Map(state.categories),
    budgets: new Map(state.budgets),
    thresholdCrossings: new Set(state.thresholdCrossings),
    goals: new Map(state.goals),
    goalMilestones: new Set(state.goalMilestones),
    contributions: new Map(state.contributions),
    notifications: new Map(state.notifications),
  };
}

export const embeddingKey = (transactionId: string, model: string): string =>
  `${transactionId}\u0000${model}`;
