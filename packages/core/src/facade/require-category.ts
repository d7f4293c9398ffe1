import { FinkitError } from '../errors/finkit-error.js';
import type { Store } from '../ports/store.js';
import type { Category } from '../schemas/category.js';

/** A category id in input must name a category the user can see; otherwise it is bad input. */
export async function requireCategory(store: Store, userId: string, categoryId: string): Promise<Category> {
  const category = await store.categories.get(userId, categoryId);
  if (!category) {
    throw new FinkitError('VALIDATION', `Unknown category: ${categoryId}`, { details: { categoryId } });
  }
  return category;
}
