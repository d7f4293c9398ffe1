import { FinkitError } from '../errors/finkit-error.js';
import { type Budget, type NewBudget, newBudgetSchema } from '../schemas/budget.js';
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
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function createBudgetsApi({ store }: FinkitContext): BudgetsApi {
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
  };
}
