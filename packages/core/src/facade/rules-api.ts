import { type NewRule, newRuleSchema, type Rule } from '../schemas/rule.js';
import { parseInput } from '../validation/parse-input.js';
import type { FinkitContext } from './finkit-context.js';
import { requireCategory } from './require-category.js';
import { requireFound } from './require-found.js';

export interface RulesApi {
  create(userId: string, input: NewRule): Promise<Rule>;
  get(userId: string, id: string): Promise<Rule>;
  /** In evaluation order. */
  list(userId: string): Promise<Rule[]>;
  /** Replaces the given fields; the result is validated as a whole. */
  update(userId: string, id: string, patch: Partial<NewRule>): Promise<Rule>;
  delete(userId: string, id: string): Promise<void>;
}

export function createRulesApi({ store }: FinkitContext): RulesApi {
  async function validated(userId: string, input: unknown) {
    const rule = parseInput(newRuleSchema, input, 'rule');
    if (rule.actions.categoryId !== undefined) await requireCategory(store, userId, rule.actions.categoryId);
    return rule;
  }
  return {
    create: async (userId, input) => store.rules.create(userId, await validated(userId, input)),
    get: async (userId, id) => requireFound(await store.rules.get(userId, id), 'Rule', id),
    list: (userId) => store.rules.list(userId),
    async update(userId, id, patch) {
      const current = requireFound(await store.rules.get(userId, id), 'Rule', id);
      const { id: _id, userId: _user, createdAt: _c, updatedAt: _u, ...fields } = current;
      return store.rules.update(userId, id, await validated(userId, { ...fields, ...patch }));
    },
    delete: (userId, id) => store.rules.delete(userId, id),
  };
}
