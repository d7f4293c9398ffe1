import type { BudgetRepository } from '../ports/store.js';
import type { Budget } from '../schemas/budget.js';
import { copyOut, definedEntries, type MemoryContext, ownedRow, requireOwned } from './memory-context.js';

const crossingKey = (budgetId: string, periodStart: string, threshold: number): string =>
  `${budgetId}|${periodStart}|${threshold}`;

/** Without `snapshot`, which the store composes from this and the other repositories. */
export function createMemoryBudgets(context: MemoryContext): Omit<BudgetRepository, 'snapshot'> {
  const { read, write, newId } = context;
  return {
    async create(userId, input) {
      return write((draft, now) => {
        const row: Budget = { ...copyOut(input), id: newId(), userId, createdAt: now, updatedAt: now };
        draft.budgets.set(row.id, row);
        return copyOut(row);
      });
    },
    async get(userId, id) {
      return copyOut(ownedRow(read().budgets, userId, id));
    },
    async list(userId) {
      return copyOut([...read().budgets.values()].filter((row) => row.userId === userId));
    },
    async update(userId, id, patch) {
      return write((draft, now) => {
        const row = requireOwned(draft.budgets, userId, id, 'Budget');
        const next: Budget = { ...row, ...copyOut(definedEntries(patch)), id, userId, updatedAt: now };
        draft.budgets.set(id, next);
        return copyOut(next);
      });
    },
    async delete(userId, id) {
      write((draft) => {
        requireOwned(draft.budgets, userId, id, 'Budget');
        draft.budgets.delete(id);
        for (const key of draft.thresholdCrossings) {
          if (key.startsWith(`${id}|`)) draft.thresholdCrossings.delete(key);
        }
      });
    },
    async recordThresholdCrossing(userId, budgetId, periodStart, threshold) {
      return write((draft) => {
        requireOwned(draft.budgets, userId, budgetId, 'Budget');
        const key = crossingKey(budgetId, periodStart, threshold);
        if (draft.thresholdCrossings.has(key)) return false;
        draft.thresholdCrossings.add(key);
        return true;
      });
    },
  };
}
