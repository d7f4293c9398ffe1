import type { ConnectionStatus } from './connection.js';
import type { NewRule } from './rule.js';

/** Payload of each event finkit publishes, by event type. */
export interface FinkitEventMap {
  'connection.linked': { connectionId: string; institutionName: string | null; accountIds: string[] };
  'connection.reauth_required': { connectionId: string; code: string };
  'connection.error': { connectionId: string; code: string; message: string };
  'connection.status_changed': { connectionId: string; status: ConnectionStatus };
  'connection.removed': { connectionId: string };
  'transactions.synced': {
    connectionId: string;
    added: string[];
    modified: string[];
    removed: string[];
  };
  'transaction.created': { transactionId: string };
  'transaction.updated': { transactionId: string; fields: string[] };
  'transaction.removed': { transactionId: string };
  'budget.threshold_crossed': {
    budgetId: string;
    periodStart: string;
    threshold: number;
    spent: number;
    budgeted: number;
    currency: string;
  };
  'goal.milestone_reached': { goalId: string; percent: number };
  'goal.reached': { goalId: string };
  'goal.off_track': { goalId: string };
  /**
   * The user corrected one merchant to the same category `suggestAfter` times in a row (3 by
   * default) and no rule covers it yet: `rule` is ready to save with `rules.create`.
   */
  'rule.suggested': { rule: NewRule; merchantName: string; categoryId: string; corrections: number };
  'notification.created': { notificationId: string; type: string; title: string; body: string };
}

export type FinkitEventType = keyof FinkitEventMap;

/** One event as published: who it concerns, when, and its payload. */
export type FinkitEvent<T extends FinkitEventType = FinkitEventType> = {
  [K in T]: {
    type: K;
    userId: string;
    /** ISO 8601 timestamp of when it happened. */
    at: string;
    data: FinkitEventMap[K];
  };
}[T];
