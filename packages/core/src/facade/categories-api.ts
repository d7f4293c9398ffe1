import { z } from 'zod';
import { FinkitError } from '../errors/finkit-error.js';
import { type Category, type NewCategory, newCategorySchema, UNCATEGORIZED } from '../schemas/category.js';
import { idSchema } from '../schemas/common.js';
import { parseInput } from '../validation/parse-input.js';
import type { FinkitContext } from './finkit-context.js';
import { requireCategory } from './require-category.js';

const renameSchema = z.object({ name: z.string().trim().min(1).max(100) });

export interface CategoriesApi {
  /** The twelve defaults and the user's own. */
  list(userId: string): Promise<Category[]>;
  create(userId: string, input: NewCategory): Promise<Category>;
  rename(userId: string, id: string, name: string): Promise<Category>;
  /** Moves the category's transactions, rule actions and children to `reassignTo` (default Uncategorized). */
  delete(userId: string, id: string, reassignTo?: string): Promise<void>;
}

export function createCategoriesApi({ store }: FinkitContext): CategoriesApi {
  return {
    list: (userId) => store.categories.list(userId),
    async create(userId, input) {
      const category = parseInput(newCategorySchema, input, 'category');
      if (category.parentId !== null) await requireCategory(store, userId, category.parentId);
      return store.categories.create(userId, category);
    },
    async rename(userId, id, name) {
      const parsed = parseInput(renameSchema, { name }, 'category name');
      return store.categories.update(userId, id, parsed);
    },
    async delete(userId, id, reassignTo = UNCATEGORIZED) {
      parseInput(idSchema, reassignTo, 'reassignTo');
      if (reassignTo === id) {
        throw new FinkitError('VALIDATION', 'A category cannot be reassigned to itself', { details: { id } });
      }
      await requireCategory(store, userId, reassignTo);
      await store.categories.delete(userId, id, reassignTo);
    },
  };
}
