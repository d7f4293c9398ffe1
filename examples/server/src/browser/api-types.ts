// The JSON the dashboard reads. Entity types come from core's schemas (type-only imports, so no
// runtime code is bundled); the progress shapes are the API's own responses.
export type { Account, Budget, Category, Goal, PublicConnection, Transaction } from '@finkit/core';

export interface Page<T> {
  items: T[];
  nextCursor?: string | null;
}

export interface BudgetProgress {
  budgetId: string;
  currency: string;
  period: { start: string; end: string };
  budgeted: number;
  spent: number;
  remaining: number;
  percentUsed: number | null;
  daysInPeriod: number;
  daysElapsed: number;
  status: 'on_track' | 'at_risk' | 'over';
}

export interface GoalProjection {
  goalId: string;
  currency: string;
  current: number;
  target: number;
  percent: number;
  status: 'reached' | 'on_track' | 'off_track' | 'overdue' | 'no_target_date';
  requiredMonthlyContribution: number | null;
  projectedCompletionDate: string | null;
  series: { date: string; balance: number }[];
}

export interface LiveEvent {
  id: number;
  type: string;
  at: string;
  data: Record<string, unknown>;
}
