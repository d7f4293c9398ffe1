import type { ProviderTransaction } from '../ports/bank-provider.js';
import { type DefaultCategoryId, UNCATEGORIZED } from '../schemas/category.js';
import type { FieldSource } from '../schemas/common.js';

export interface CategorizeInput {
  userId: string;
  connectionId: string;
  transaction: ProviderTransaction;
}

export interface CategorizeResult {
  categoryId: string;
  /** 0..1 */
  confidence: number;
  /** One readable line: "Plaid: FOOD_AND_DRINK_COFFEE". */
  explanation: string;
  source: FieldSource;
}

/** Chooses the first category of a transaction the sync engine has not stored before. */
export type Categorize = (input: CategorizeInput) => CategorizeResult | Promise<CategorizeResult>;

/**
 * The batch form of `Categorize`: every transaction of one sync run (one user, one connection)
 * in one call, results in input order, so rules and learned state are read once per run.
 */
export type CategorizeMany = (inputs: readonly CategorizeInput[]) => Promise<CategorizeResult[]>;

// Plaid PFC primaries (v1 and v2 share these names) onto the default categories. The real
// categorizer (rules, learning, embeddings) replaces this hook; this only keeps a fresh install useful.
const byPrimary: Record<string, DefaultCategoryId> = {
  INCOME: 'income',
  TRANSFER_IN: 'transfer',
  TRANSFER_OUT: 'transfer',
  LOAN_PAYMENTS: 'transfer',
  BANK_FEES: 'bills_and_utilities',
  ENTERTAINMENT: 'entertainment',
  FOOD_AND_DRINK: 'food_and_dining',
  GENERAL_MERCHANDISE: 'shopping',
  HOME_IMPROVEMENT: 'shopping',
  MEDICAL: 'healthcare',
  PERSONAL_CARE: 'personal_care',
  GENERAL_SERVICES: 'bills_and_utilities',
  GOVERNMENT_AND_NON_PROFIT: 'bills_and_utilities',
  TRANSPORTATION: 'transportation',
  TRAVEL: 'travel',
  RENT_AND_UTILITIES: 'bills_and_utilities',
};

const confidenceByLevel: Record<string, number> = {
  VERY_HIGH: 0.95,
  HIGH: 0.85,
  MEDIUM: 0.6,
  LOW: 0.3,
};

/** Uses the provider's category when it names a known primary; otherwise `uncategorized`. */
export const defaultCategorize: Categorize = ({ transaction }) => {
  const pfc = transaction.providerCategory;
  const mapped = pfc ? byPrimary[pfc.primary] : undefined;
  if (!pfc || !mapped) {
    return { categoryId: UNCATEGORIZED, confidence: 0, explanation: 'No category yet', source: 'provider' };
  }
  return {
    categoryId: mapped,
    confidence: confidenceByLevel[pfc.confidenceLevel ?? ''] ?? 0.5,
    explanation: `Plaid: ${pfc.detailed || pfc.primary}`,
    source: 'provider',
  };
};
