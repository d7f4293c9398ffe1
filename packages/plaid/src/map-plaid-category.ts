import type { ProviderCategory } from '@finkit/core';
import { pfcV1OnlyDetailedCategories, pfcV2DetailedCategories } from './pfc-detailed-categories.js';

/** The part of Plaid's `personal_finance_category` finkit reads. */
export interface PlaidCategoryLike {
  primary: string;
  detailed: string;
  confidence_level?: string | null;
  version?: string | null;
}

/**
 * Plaid's personal finance category. Plaid states the taxonomy version only when asked for one,
 * so without it a v1-only code means v1, a code in the v2 taxonomy means v2, and anything else is
 * left unknown rather than guessed.
 */
export function mapPlaidCategory(category: PlaidCategoryLike | null | undefined): ProviderCategory | null {
  if (!category?.primary || !category.detailed) return null;
  const stated = category.version === 'v1' || category.version === 'v2' ? category.version : null;
  const version =
    stated ??
    (pfcV1OnlyDetailedCategories.has(category.detailed)
      ? 'v1'
      : pfcV2DetailedCategories.has(category.detailed)
        ? 'v2'
        : null);
  return {
    primary: category.primary,
    detailed: category.detailed,
    confidenceLevel: category.confidence_level ?? null,
    version,
  };
}
