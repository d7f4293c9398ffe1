import { normalizeMerchant } from '../categorize/normalize-merchant.js';
import type { ProviderTransaction } from '../ports/bank-provider.js';
import type { Store, SyncTransactionInput } from '../ports/store.js';
import type { FieldSource } from '../schemas/common.js';
import type { Transaction } from '../schemas/transaction.js';
import type { Categorize, CategorizeMany, CategorizeResult } from './default-categorize.js';

export interface BuiltUpserts {
  upserts: SyncTransactionInput[];
  /** Stored rows the upserts will update, by provider transaction id (before the write). */
  previous: Map<string, Transaction>;
}

const fromProvider = (source: FieldSource | undefined): boolean =>
  source === undefined || source === 'provider';

/**
 * Turns provider transactions into store upserts. New rows get their first category from
 * `categorize`. Stored rows keep every editable value that did not come from the provider (a
 * rule, the learner or the user set it after an earlier sync), so a provider modification never
 * undoes them; the store additionally guards user-set fields.
 */
export async function buildSyncUpserts(
  store: Store,
  categorize: Categorize,
  userId: string,
  connectionId: string,
  transactions: readonly ProviderTransaction[],
  categorizeMany?: CategorizeMany,
): Promise<BuiltUpserts> {
  const previous = new Map<string, Transaction>();
  if (transactions.length > 0) {
    const rows = await store.transactions.getByProviderIds(
      userId,
      connectionId,
      transactions.map((t) => t.providerTransactionId),
    );
    for (const row of rows) previous.set(row.providerTransactionId, row);
  }

  // With a batch hook, every transaction that needs a category gets it from one call.
  const batched = new Map<ProviderTransaction, CategorizeResult>();
  if (categorizeMany) {
    const needing = transactions.filter((t) => {
      const prev = previous.get(t.providerTransactionId);
      return !prev || fromProvider(prev.sources.categoryId);
    });
    const results = await categorizeMany(
      needing.map((transaction) => ({ userId, connectionId, transaction })),
    );
    for (const [i, t] of needing.entries()) batched.set(t, results[i]!);
  }
  const categorizeOne = async (transaction: ProviderTransaction): Promise<CategorizeResult> =>
    batched.get(transaction) ?? categorize({ userId, connectionId, transaction });

  const upserts: SyncTransactionInput[] = [];
  for (const transaction of transactions) {
    const prev = previous.get(transaction.providerTransactionId);
    if (!prev) {
      const category = await categorizeOne(transaction);
      // Without a merchant from the provider, the cleaned descriptor is the best name we have.
      const cleaned =
        transaction.merchantName === null ? normalizeMerchant(transaction.description).name : '';
      const rule = category.ruleActions;
      const ruleMerchant = rule?.merchantName ?? null;
      const ruleTags = rule?.addTags.length ? [...new Set(rule.addTags)] : null;
      const ruleHidden = rule?.hidden ?? null;
      upserts.push({
        ...transaction,
        merchantName: ruleMerchant ?? transaction.merchantName ?? (cleaned || null),
        categoryId: category.categoryId,
        categoryConfidence: category.confidence,
        categoryExplanation: category.explanation,
        tags: ruleTags ?? [],
        hidden: ruleHidden ?? false,
        sources: {
          categoryId: category.source,
          merchantName:
            ruleMerchant !== null
              ? 'rule'
              : transaction.merchantName === null && cleaned
                ? 'model'
                : 'provider',
          ...(ruleTags ? { tags: 'rule' as const } : {}),
          ...(ruleHidden !== null ? { hidden: 'rule' as const } : {}),
        },
      });
      continue;
    }
    const category = fromProvider(prev.sources.categoryId)
      ? await categorizeOne(transaction)
      : {
          categoryId: prev.categoryId,
          confidence: prev.categoryConfidence,
          explanation: prev.categoryExplanation,
          source: prev.sources.categoryId ?? 'provider',
        };
    const merchantFromProvider = fromProvider(prev.sources.merchantName);
    upserts.push({
      ...transaction,
      merchantName: merchantFromProvider ? transaction.merchantName : prev.merchantName,
      categoryId: category.categoryId,
      categoryConfidence: category.confidence,
      categoryExplanation: category.explanation,
      tags: prev.tags,
      hidden: prev.hidden,
      sources: {
        ...prev.sources,
        categoryId: category.source,
        merchantName: prev.sources.merchantName ?? 'provider',
      },
    });
  }
  return { upserts, previous };
}
