import { z } from 'zod';
import type { BudgetPeriodSummary, BudgetProgress } from '../budgets/budget-progress.js';
import { createBudgetEngine } from '../budgets/create-budget-engine.js';
import type { BudgetSuggestion, BudgetSuggestionOptions } from '../budgets/suggest-budgets.js';
import { FinkitError } from '../errors/finkit-error.js';
import { type Budget, type NewBudget, newBudgetSchema } from '../schemas/budget.js';
import { currencySchema, isoDateSchema } from '../schemas/common.js';
import type { FinkitEvent } from '../schemas/event.js';
import { parseInput } from '../validation/parse-input.js';
import type { FinkitContext } from './finkit-context.js';
import { requireCategory } from './require-category.js';
import { requireFound } from './require-found.js';

export interface BudgetsApi {
  create(userId: string, input: NewBudget): Promise<Budget>;
  get(userId: string, id: string): Promise<Budget>;
  list(userId: string): Promise<Budget[]>;
  /** Replaces the given fields; the result is validated as a whole. */
  update(userId: string, id: string, patch: Partial<NewBudget>): Promise<Budget>;
  delete(userId: string, id: string): Promise<void>;
  /**
   * Progress for the period containing `date`, or the current one in the budget's zone.
   * @throws NOT_FOUND; VALIDATION for a date outside the budget's periods.
   */
  progress(userId: string, id: string, options?: { date?: string }): Promise<BudgetProgress>;
  /** Current progress of every budget running today. */
  progressAll(userId: string): Promise<BudgetProgress[]>;
  /** The last `periods` (default 6) complete periods, oldest first. */
  history(userId: string, id: string, options?: { periods?: number }): Promise<BudgetPeriodSummary[]>;
  /** A monthly amount per expense category: the median of the last 3–6 complete months. */
  suggestions(userId: string, options?: BudgetSuggestionOptions): Promise<BudgetSuggestion[]>;
  /**
   * Publishes `budget.threshold_crossed` once per budget, period and threshold. Call after every
   * sync and every transaction edit; returns the events this call published.
   */
  evaluate(userId: string): Promise<FinkitEvent<'budget.threshold_crossed'>[]>;
}

const progressOptionsSchema = z.object({ date: isoDateSchema.optional() }).strict();
const historyOptionsSchema = z.object({ periods: z.number().int().min(1).max(120).optional() }).strict();
const suggestionOptionsSchema = z
  .object({
    currency: currencySchema.optional(),
    timezone: z.string().min(1).optional(),
    months: z.number().int().min(3).max(6).optional(),
  })
  .strict();

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function createBudgetsApi({ store, events, clock }: FinkitContext): BudgetsApi {
  const engine = createBudgetEngine({ store, events, clock });
  async function validated(userId: string, input: unknown) {
    const budget = parseInput(newBudgetSchema, input, 'budget');
    if (!isTimeZone(budget.timezone)) {
      throw new FinkitError('VALIDATION', `Unknown time zone: ${budget.timezone}`, {
        details: { issues: [{ path: 'timezone', message: 'Unknown IANA time zone' }] },
      });
    }
    if (budget.endDate !== null && budget.endDate < budget.startDate) {
      throw new FinkitError('VALIDATION', 'A budget cannot end before it starts', {
        details: { issues: [{ path: 'endDate', message: 'Before startDate' }] },
      });
    }
    for (const categoryId of budget.categoryIds) {
      const category = await requireCategory(store, userId, categoryId);
      if (category.kind !== 'expense') {
        throw new FinkitError('VALIDATION', `${category.name} is ${category.kind}, not spending`, {
          details: { categoryId },
        });
      }
    }
    return { ...budget, thresholds: [...new Set(budget.thresholds)].sort((a, b) => a - b) };
  }
  return {
    create: async (userId, input) => store.budgets.create(userId, await validated(userId, input)),
    get: async (userId, id) => requireFound(await store.budgets.get(userId, id), 'Budget', id),
    list: (userId) => store.budgets.list(userId),
    async update(userId, id, patch) {
      const current = requireFound(await store.budgets.get(userId, id), 'Budget', id);
      const { id: _id, userId: _user, createdAt: _c, updatedAt: _u, ...fields } = current;
      if (patch.currency !== undefined && patch.currency !== current.currency) {
        throw new FinkitError('VALIDATION', 'A budget keeps its currency; create a new budget instead', {
          details: { issues: [{ path: 'currency', message: 'Cannot change' }] },
        });
      }
      return store.budgets.update(userId, id, await validated(userId, { ...fields, ...patch }));
    },
    delete: (userId, id) => store.budgets.delete(userId, id),
    progress: async (userId, id, options = {}) =>
      engine.progress(userId, id, parseInput(progressOptionsSchema, options, 'progress options')),
    progressAll: async (userId) => engine.progressAll(userId),
    history: async (userId, id, options = {}) =>
      engine.history(userId, id, parseInput(historyOptionsSchema, options, 'history options')),
    suggestions: async (userId, options = {}) =>
      engine.suggestions(userId, parseInput(suggestionOptionsSchema, options, 'suggestion options')),
    evaluate: async (userId) => engine.evaluateBudgets(userId),
  };
}
