import type { ProviderAccount } from '@finkit/core';
import { plaidDecimalToMinor, resolvePlaidCurrency } from './resolve-plaid-amount.js';

/** The fields of a Plaid account finkit reads (the plaid client's `AccountBase` fits). */
export interface PlaidAccountLike {
  account_id: string;
  name: string;
  official_name: string | null;
  type: string;
  subtype: string | null;
  mask: string | null;
  balances: {
    available: number | null;
    current: number | null;
    limit: number | null;
    iso_currency_code: string | null;
    unofficial_currency_code: string | null;
    last_updated_datetime?: string | null;
  };
}

const accountTypes: Record<string, ProviderAccount['type']> = {
  depository: 'depository',
  credit: 'credit',
  loan: 'loan',
  investment: 'investment',
  // Plaid's older name for investment accounts.
  brokerage: 'investment',
};

/** Balances keep their sign as Plaid reports them: money held, or owed on credit and loans. */
export function mapPlaidAccount(account: PlaidAccountLike, asOf: Date): ProviderAccount {
  const { balances } = account;
  const currency = resolvePlaidCurrency(
    balances.iso_currency_code,
    balances.unofficial_currency_code,
    `account ${account.account_id}`,
  );
  const what = `balance of account ${account.account_id}`;
  const minor = (value: number | null): number | null =>
    value === null || value === undefined ? null : plaidDecimalToMinor(value, currency, what);
  return {
    providerAccountId: account.account_id,
    name: account.name,
    officialName: account.official_name ?? null,
    type: accountTypes[account.type] ?? 'other',
    subtype: account.subtype ?? null,
    mask: account.mask ?? null,
    currency,
    balances: {
      current: minor(balances.current),
      available: minor(balances.available),
      limit: minor(balances.limit),
      currency,
      asOf: balances.last_updated_datetime ? new Date(balances.last_updated_datetime) : asOf,
    },
  };
}
