import type { ProviderTransaction } from '@finkit/core';
import { mapPlaidCategory, type PlaidCategoryLike } from './map-plaid-category.js';
import { plaidDecimalToMinor, resolvePlaidCurrency } from './resolve-plaid-amount.js';

/** The fields of a Plaid transaction finkit reads (the plaid client's `Transaction` fits). */
export interface PlaidTransactionLike {
  transaction_id: string;
  account_id: string;
  pending_transaction_id?: string | null;
  /** Plaid's sign: positive is money out of the account. */
  amount: number;
  iso_currency_code: string | null;
  unofficial_currency_code: string | null;
  date: string;
  authorized_date?: string | null;
  name?: string | null;
  original_description?: string | null;
  merchant_name?: string | null;
  pending: boolean;
  personal_finance_category?: PlaidCategoryLike | null;
}

/** Converts at the boundary: Plaid's positive-is-out decimal becomes signed minor units, exactly. */
export function mapPlaidTransaction(transaction: PlaidTransactionLike): ProviderTransaction {
  const currency = resolvePlaidCurrency(
    transaction.iso_currency_code,
    transaction.unofficial_currency_code,
    `transaction ${transaction.transaction_id}`,
  );
  const minor = plaidDecimalToMinor(
    transaction.amount,
    currency,
    `transaction ${transaction.transaction_id}`,
  );
  return {
    providerTransactionId: transaction.transaction_id,
    providerAccountId: transaction.account_id,
    pendingTransactionId: transaction.pending_transaction_id ?? null,
    date: transaction.date,
    authorizedDate: transaction.authorized_date ?? null,
    amount: minor === 0 ? 0 : -minor,
    currency,
    description: transaction.name ?? transaction.original_description ?? '',
    merchantName: transaction.merchant_name ?? null,
    pending: transaction.pending,
    providerCategory: mapPlaidCategory(transaction.personal_finance_category),
  };
}
