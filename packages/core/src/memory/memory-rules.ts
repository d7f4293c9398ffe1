import type { RuleRepository } from '../ports/store.js';
import type { Rule } from '../schemas/rule.js';
import { copyOut, definedEntries, type MemoryContext, ownedRow, requireOwned } from './memory-context.js';

const stageOrder: Record<Rule['stage'], number> = { pre: 0, default: 1, post: 2 };

export function createMemoryRules(context: MemoryContext): RuleRepository {
  const { read, write, newId } = context;
  return {
    async create(userId, input) {
      return write((draft, now) => {
        const row: Rule = { ...copyOut(input), id: newId(), userId, createdAt: now, updatedAt: now };
        draft.rules.set(row.id, row);
        return copyOut(row);
      });
    },
    async get(userId, id) {
      return copyOut(ownedRow(read().rules, userId, id));
    },
    async list(userId) {
      const rows = [...read().rules.values()].filter((row) => row.userId === userId);
      rows.sort(
        (a, b) =>
          stageOrder[a.stage] - stageOrder[b.stage] ||
          a.priority - b.priority ||
          a.createdAt.getTime() - b.createdAt.getTime() ||
          (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
      );
      return copyOut(rows);
    },
    async update(userId, id, patch) {
      return write((draft, now) => {
        const row = requireOwned(draft.rules, userId, id, 'Rule');
        const next: Rule = { ...row, ...copyOut(definedEntries(patch)), id, userId, updatedAt: now };
        draft.rules.set(id, next);
        return copyOut(next);
      });
    },
    async delete(userId, id) {
      write((draft) => {
        requireOwned(draft.rules, userId, id, 'Rule');
        draft.rules.delete(id);
      });
    },
  };
}
