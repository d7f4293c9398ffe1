import { compileRule, type Finkit, type Rule, type Transaction } from '@finkit/core';

export interface RuleChange {
  transactionId: string;
  date: string;
  description: string;
  amount: number;
  currency: string;
  /** Each field the rule would set, from its current value; user-set fields are never listed. */
  changes: Partial<Record<'categoryId' | 'merchantName' | 'hidden' | 'tags', { from: unknown; to: unknown }>>;
}

export interface RulePreview {
  /** Transactions the rule's conditions match. */
  matched: number;
  /** Of those, how many it would change. */
  changed: number;
  /** The first `limit` changes, newest first. */
  items: RuleChange[];
}

function changesOf(rule: Rule, t: Transaction): RuleChange['changes'] {
  const { actions } = rule;
  const changes: RuleChange['changes'] = {};
  // A user's value is never overwritten by a rule, so the preview leaves those fields out.
  const editable = (field: 'categoryId' | 'merchantName' | 'hidden' | 'tags') => t.sources[field] !== 'user';
  if (actions.categoryId !== undefined && actions.categoryId !== t.categoryId && editable('categoryId')) {
    changes.categoryId = { from: t.categoryId, to: actions.categoryId };
  }
  if (
    actions.merchantName !== undefined &&
    actions.merchantName !== t.merchantName &&
    editable('merchantName')
  ) {
    changes.merchantName = { from: t.merchantName, to: actions.merchantName };
  }
  if (actions.hidden !== undefined && actions.hidden !== t.hidden && editable('hidden')) {
    changes.hidden = { from: t.hidden, to: actions.hidden };
  }
  const added = (actions.addTags ?? []).filter((tag) => !t.tags.includes(tag));
  if (added.length > 0 && editable('tags')) changes.tags = { from: t.tags, to: [...t.tags, ...added] };
  return changes;
}

/**
 * Which of the user's transactions one rule would change if applied now, read a keyset page at a
 * time. Other rules are not considered: this answers "what does this rule do", not "what would
 * the whole rule set decide".
 */
export async function previewRule(
  finkit: Finkit,
  userId: string,
  ruleId: string,
  limit: number,
): Promise<RulePreview> {
  const rule = await finkit.rules.get(userId, ruleId);
  const { matches } = compileRule(rule);
  const preview: RulePreview = { matched: 0, changed: 0, items: [] };
  let cursor: string | null = null;
  do {
    const page = await finkit.transactions.list(userId, { includeHidden: true }, { limit: 1000, cursor });
    for (const t of page.items) {
      const subject = {
        description: t.description,
        merchantName: t.merchantName,
        amount: t.amount,
        accountId: t.accountId,
        providerCategory: t.providerCategory,
        date: t.date,
      };
      if (!matches(subject)) continue;
      preview.matched += 1;
      const changes = changesOf(rule, t);
      if (Object.keys(changes).length === 0) continue;
      preview.changed += 1;
      if (preview.items.length < limit) {
        preview.items.push({
          transactionId: t.id,
          date: t.date,
          description: t.description,
          amount: t.amount,
          currency: t.currency,
          changes,
        });
      }
    }
    cursor = page.nextCursor;
  } while (cursor !== null);
  return preview;
}
