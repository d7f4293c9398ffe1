import type { Store } from '../ports/store.js';
import type { CategorizeMany } from '../sync/default-categorize.js';
import type { Categorizer } from './create-categorizer.js';

/**
 * The sync engine's batch hook on a Categorizer: maps the provider's account ids onto finkit's
 * (for rules on accounts) and passes on the category and the rules' other actions.
 */
export function createSyncCategorize(categorizer: Categorizer, store: Store): CategorizeMany {
  return async (inputs) => {
    const first = inputs[0];
    if (!first) return [];
    const { userId, connectionId } = first;
    const accounts = await store.accounts.list(userId, { connectionId, includeClosed: true });
    const accountIds = new Map(accounts.map((a) => [a.providerAccountId, a.id]));
    const results = await categorizer.categorize(
      userId,
      inputs.map(({ transaction }) => ({
        ...transaction,
        accountId: accountIds.get(transaction.providerAccountId) ?? null,
      })),
    );
    return results.map(({ categoryId, confidence, explanation, source, ruleActions }) => ({
      categoryId,
      confidence,
      explanation,
      source,
      ruleActions,
    }));
  };
}
