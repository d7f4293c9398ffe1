import type { DefaultCategoryId } from '../schemas/category.js';

// Every Plaid personal finance category primary (v1 and v2) onto finkit's defaults. A detailed
// value missing from `pfcDetailedCategories` takes its primary's category.
export const pfcPrimaryCategories: Readonly<Record<string, DefaultCategoryId>> = {
  INCOME: 'income',
  TRANSFER_IN: 'transfer',
  TRANSFER_OUT: 'transfer',
  LOAN_DISBURSEMENTS: 'transfer',
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
  // Plaid could not tell: no signal, so the next one decides (or the user reviews it).
  OTHER: 'uncategorized',
};

// Detailed values whose meaning differs from their primary's category. Housing, car and school
// loans are what the money is for; card payments and personal loans only move money.
export const pfcDetailedCategories: Readonly<Record<string, DefaultCategoryId>> = {
  LOAN_PAYMENTS_MORTGAGE_PAYMENT: 'bills_and_utilities',
  LOAN_PAYMENTS_CAR_PAYMENT: 'transportation',
  LOAN_PAYMENTS_STUDENT_LOAN_PAYMENT: 'education',
  GENERAL_SERVICES_AUTOMOTIVE: 'transportation',
  GENERAL_SERVICES_EDUCATION: 'education',
  GENERAL_SERVICES_CHILDCARE: 'personal_care',
  GENERAL_SERVICES_POSTAGE_AND_SHIPPING: 'shopping',
  MEDICAL_VETERINARY_SERVICES: 'healthcare',
  TRAVEL_RENTAL_CARS: 'travel',
  TRANSFER_OUT_WITHDRAWAL: 'transfer',
  INCOME_TAX_REFUND: 'income',
};

/** The finkit category of a PFC value; a detailed value wins over its primary. Null when unknown. */
export function mapPfc(primary: string, detailed: string | null): DefaultCategoryId | null {
  if (detailed) {
    const byDetailed = pfcDetailedCategories[detailed];
    if (byDetailed) return byDetailed;
  }
  return pfcPrimaryCategories[primary] ?? null;
}

// Plaid's confidence levels as numbers on finkit's 0..1 scale.
const confidenceByLevel: Readonly<Record<string, number>> = {
  VERY_HIGH: 0.95,
  HIGH: 0.85,
  MEDIUM: 0.6,
  LOW: 0.3,
};

/** How far to trust a PFC value, from Plaid's `confidence_level`; `fallback` when it sent none. */
export function pfcConfidence(level: string | null, fallback: number): number {
  return confidenceByLevel[level ?? ''] ?? fallback;
}
