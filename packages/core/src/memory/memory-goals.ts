import type { GoalRepository } from '../ports/store.js';
import type { Goal, GoalContribution } from '../schemas/goal.js';
import { copyOut, definedEntries, type MemoryContext, ownedRow, requireOwned } from './memory-context.js';

export function createMemoryGoals(context: MemoryContext): GoalRepository {
  const { read, write, newId } = context;
  return {
    async create(userId, input) {
      return write((draft, now) => {
        const row: Goal = { ...copyOut(input), id: newId(), userId, createdAt: now, updatedAt: now };
        draft.goals.set(row.id, row);
        return copyOut(row);
      });
    },
    async get(userId, id) {
      return copyOut(ownedRow(read().goals, userId, id));
    },
    async list(userId) {
      return copyOut([...read().goals.values()].filter((row) => row.userId === userId));
    },
    async update(userId, id, patch) {
      return write((draft, now) => {
        const row = requireOwned(draft.goals, userId, id, 'Goal');
        const next: Goal = { ...row, ...copyOut(definedEntries(patch)), id, userId, updatedAt: now };
        draft.goals.set(id, next);
        return copyOut(next);
      });
    },
    async delete(userId, id) {
      write((draft) => {
        requireOwned(draft.goals, userId, id, 'Goal');
        draft.goals.delete(id);
        for (const row of draft.contributions.values()) {
          if (row.goalId === id) draft.contributions.delete(row.id);
        }
        for (const key of draft.goalMilestones) {
          if (key.startsWith(`${id}|`)) draft.goalMilestones.delete(key);
        }
      });
    },
    async recordMilestone(userId, goalId, key) {
      return write((draft) => {
        requireOwned(draft.goals, userId, goalId, 'Goal');
        const recordKey = `${goalId}|${key}`;
        if (draft.goalMilestones.has(recordKey)) return false;
        draft.goalMilestones.add(recordKey);
        return true;
      });
    },
    async addContribution(userId, goalId, input) {
      return write((draft, now) => {
        requireOwned(draft.goals, userId, goalId, 'Goal');
        const row: GoalContribution = {
          id: newId(),
          userId,
          goalId,
          amount: input.amount,
          date: input.date,
          note: input.note,
          createdAt: now,
        };
        draft.contributions.set(row.id, row);
        return copyOut(row);
      });
    },
    async listContributions(userId, goalId) {
      const rows = [...read().contributions.values()].filter(
        (row) => row.userId === userId && row.goalId === goalId,
      );
      // Stable sort: contributions of one date stay in the order they were added.
      return copyOut(rows.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)));
    },
  };
}
