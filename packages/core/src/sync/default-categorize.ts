import { mapPfc, pfcConfidence } from '../categorize/pfc-category-map.js';
import type { ProviderTransaction } from '../ports/bank-provider.js';
import { UNCATEGORIZED } from '../schemas/category.js';
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
  /** What matching rules set besides the category; stored on new rows with source `rule`. */
  ruleActions?: { merchantName: string | null; addTags: readonly string[]; hidden: boolean | null };
}

/** Chooses the first category of a transaction the sync engine has not stored before. */
export type Categorize = (input: CategorizeInput) => CategorizeResult | Promise<CategorizeResult>;

/**
 * The batch form of `Categorize`: every transaction of one sync run (one user, one connection)
 * in one call, results in input order, so rules and learned state are read once per run.
 */
export type CategorizeMany = (inputs: readonly CategorizeInput[]) => Promise<CategorizeResult[]>;

/** Uses the provider's category when it names a known primary; otherwise `uncategorized`. */
export const defaultCategorize: Categorize = ({ transaction }) => {
  const pfc = transaction.providerCategory;
  // Keeps a fresh install useful; the categorizer (rules, learning, embeddings) replaces this hook.
  const mapped = pfc ? mapPfc(pfc.primary, pfc.detailed) : null;
  if (!pfc || !mapped) {
    return { categoryId: UNCATEGORIZED, confidence: 0, explanation: 'No category yet', source: 'provider' };
  }
  return {
    categoryId: mapped,
    confidence: pfcConfidence(pfc.confidenceLevel, 0.5),
    explanation: `Plaid: ${pfc.detailed || pfc.primary}`,
    source: 'provider',
  };
};
