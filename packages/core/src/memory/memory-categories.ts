import { FinkitError } from '../errors/finkit-error.js';
import type { CategoryRepository } from '../ports/store.js';
import { type Category, defaultCategories } from '../schemas/category.js';
import {
  assertKnownCategory,
  copyOut,
  isDefaultCategoryId,
  type MemoryContext,
  ownedRow,
  requireOwned,
} from './memory-context.js';
import type { MemoryState } from './memory-state.js';

const epoch = new Date(0);
const defaultRows: Category[] = defaultCategories.map((category) => ({
  ...category,
  userId: null,
  parentId: null,
  createdAt: epoch,
  updatedAt: epoch,
}));

export function createMemoryCategories(context: MemoryContext): CategoryRepository {
  const { read, write, newId } = context;
  return {
    async list(userId) {
      const own = [...read().categories.values()].filter((row) => row.userId === userId);
      own.sort((a, b) => a.name.localeCompare(b.name));
      return copyOut([...defaultRows, ...own]);
    },
    async get(userId, id) {
      return copyOut(defaultRows.find((row) => row.id === id) ?? ownedRow(read().categories, userId, id));
    },
    async create(userId, input) {
      return write((draft, now) => {
        assertUniqueName(draft, userId, input.name, null);
        const id = newId();
        if (input.parentId !== null) assertParent(draft, userId, id, input.parentId);
        const row: Category = {
          id,
          userId,
          name: input.name,
          kind: input.kind,
          parentId: input.parentId,
          createdAt: now,
          updatedAt: now,
        };
        draft.categories.set(id, row);
        return copyOut(row);
      });
    },
    async update(userId, id, patch) {
      return write((draft, now) => {
        assertNotDefault(id);
        const row = requireOwned(draft.categories, userId, id, 'Category');
        if (patch.name !== undefined) assertUniqueName(draft, userId, patch.name, id);
        if (patch.parentId !== undefined && patch.parentId !== null)
          assertParent(draft, userId, id, patch.parentId);
        const next: Category = {
          ...row,
          name: patch.name ?? row.name,
          parentId: patch.parentId === undefined ? row.parentId : patch.parentId,
          updatedAt: now,
        };
        draft.categories.set(id, next);
        return copyOut(next);
      });
    },
    async delete(userId, id, reassignTo) {
      write((draft, now) => {
        assertNotDefault(id);
        const deleted = requireOwned(draft.categories, userId, id, 'Category');
        if (reassignTo === id) {
          throw new FinkitError('VALIDATION', 'Cannot reassign a category to itself', { details: { id } });
        }
        assertKnownCategory(draft, userId, reassignTo);
        draft.categories.delete(id);
        for (const row of draft.transactions.values()) {
          if (row.userId === userId && row.categoryId === id) {
            draft.transactions.set(row.id, { ...row, categoryId: reassignTo, updatedAt: now });
          }
        }
        for (const rule of draft.rules.values()) {
          if (rule.userId === userId && rule.actions.categoryId === id) {
            const actions = { ...rule.actions, categoryId: reassignTo };
            draft.rules.set(rule.id, { ...rule, actions, updatedAt: now });
          }
        }
        for (const child of draft.categories.values()) {
          if (child.userId === userId && child.parentId === id) {
            // The new home cannot become its own parent; it moves up to the deleted one's parent.
            const parentId = child.id === reassignTo ? deleted.parentId : reassignTo;
            draft.categories.set(child.id, { ...child, parentId, updatedAt: now });
          }
        }
      });
    },
  };
}

function assertNotDefault(id: string): void {
  if (isDefaultCategoryId(id)) {
    throw new FinkitError('VALIDATION', `Default category ${id} cannot be changed`, { details: { id } });
  }
}

function assertUniqueName(state: MemoryState, userId: string, name: string, exceptId: string | null): void {
  const wanted = name.toLowerCase();
  for (const row of state.categories.values()) {
    if (row.userId === userId && row.id !== exceptId && row.name.toLowerCase() === wanted) {
      throw new FinkitError('CONFLICT', `A category named ${name} already exists`, { details: { name } });
    }
  }
}

/** A parent must be known to the user and must not sit under the category itself (no cycles). */
function assertParent(state: MemoryState, userId: string, id: string, parentId: string): void {
  assertKnownCategory(state, userId, parentId);
  for (let at: string | null = parentId; at !== null; at = state.categories.get(at)?.parentId ?? null) {
    if (at === id) {
      throw new FinkitError('VALIDATION', 'A category cannot sit under itself', {
        details: { id, parentId },
      });
    }
  }
}
