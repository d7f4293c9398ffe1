import { minorToDecimal } from '@finkit/core';
import type {
  SandboxAccount,
  SandboxBalances,
  SandboxItem,
  SandboxTransaction,
} from './create-sandbox-item.js';

/** A transaction exactly as the sandbox puts it on the wire (Plaid's shape). */
export interface PlaidTransactionJson {
  account_id: string;
  account_owner: null;
  amount: number;
  iso_currency_code: string | null;
  unofficial_currency_code: string | null;
  authorized_date: string | null;
  authorized_datetime: null;
  check_number: null;
  counterparties: [];
  date: string;
  datetime: null;
  location: Record<string, null>;
  logo_url: null;
  merchant_entity_id: null;
  merchant_name: string | null;
  name: string;
  original_description: null;
  payment_channel: string;
  payment_meta: Record<string, null>;
  pending: boolean;
  pending_transaction_id: string | null;
  personal_finance_category: { primary: string; detailed: string; confidence_level: string; version: 'v2' };
  transaction_code: null;
  transaction_id: string;
  transaction_type: string;
  website: null;
}

export interface PlaidAccountJson {
  account_id: string;
  balances: {
    available: number | null;
    current: number | null;
    limit: number | null;
    iso_currency_code: string;
    unofficial_currency_code: null;
  };
  holder_category: 'personal';
  mask: string;
  name: string;
  official_name: string;
  persistent_account_id: string;
  subtype: string;
  type: string;
}

// Plaid's wire format carries amounts as JSON numbers. The decimal string is exact, and the
// number JSON.stringify prints for it is that same string.
const wireAmount = (minor: number, currency: string): number => Number(minorToDecimal(minor, currency));
const nullableWire = (minor: number | null, currency: string): number | null =>
  minor === null ? null : wireAmount(minor, currency);

const nullLocation = {
  address: null,
  city: null,
  region: null,
  postal_code: null,
  country: null,
  lat: null,
  lon: null,
  store_number: null,
};
const nullPaymentMeta = {
  by_order_of: null,
  payee: null,
  payer: null,
  payment_method: null,
  payment_processor: null,
  ppd_id: null,
  reason: null,
  reference_number: null,
};

export function renderTransaction(txn: SandboxTransaction): PlaidTransactionJson {
  return {
    account_id: txn.accountId,
    account_owner: null,
    amount: wireAmount(txn.amount, txn.currency),
    iso_currency_code: txn.currency,
    unofficial_currency_code: null,
    authorized_date: txn.authorizedDate,
    authorized_datetime: null,
    check_number: null,
    counterparties: [],
    date: txn.date,
    datetime: null,
    location: { ...nullLocation },
    logo_url: null,
    merchant_entity_id: null,
    merchant_name: txn.merchantName,
    name: txn.name,
    original_description: null,
    payment_channel: txn.channel,
    payment_meta: { ...nullPaymentMeta },
    pending: txn.pending,
    pending_transaction_id: txn.pendingTransactionId,
    personal_finance_category: {
      primary: txn.category.primary,
      detailed: txn.category.detailed,
      confidence_level: txn.category.confidenceLevel,
      version: 'v2',
    },
    transaction_code: null,
    transaction_id: txn.transactionId,
    transaction_type: txn.channel === 'online' ? 'digital' : txn.channel === 'in store' ? 'place' : 'special',
    website: null,
  };
}

export function renderAccount(account: SandboxAccount, balances: SandboxBalances): PlaidAccountJson {
  const currency = 'USD';
  return {
    account_id: account.accountId,
    balances: {
      available: nullableWire(balances.available, currency),
      current: nullableWire(balances.current, currency),
      limit: nullableWire(balances.limit, currency),
      iso_currency_code: currency,
      unofficial_currency_code: null,
    },
    holder_category: 'personal',
    mask: account.template.mask,
    name: account.template.name,
    official_name: account.template.officialName,
    persistent_account_id: `${account.accountId.slice(0, 24)}${account.template.mask}`,
    subtype: account.template.subtype,
    type: account.template.type,
  };
}

export function renderAccounts(item: SandboxItem, accountIds?: readonly string[]): PlaidAccountJson[] {
  return item.accounts
    .filter((a) => !accountIds || accountIds.includes(a.accountId))
    .map((a) => renderAccount(a, item.balances(a)));
}

export function renderItem(item: SandboxItem) {
  return {
    item_id: item.itemId,
    institution_id: item.institutionId,
    institution_name: item.institutionName,
    webhook: item.webhook ?? '',
    auth_method: null,
    error: item.error ? { ...item.error, request_id: '', causes: [], status: 400 } : null,
    available_products: ['balance', 'identity'],
    billed_products: ['transactions'],
    products: ['transactions'],
    consented_products: ['transactions'],
    consent_expiration_time: null,
    update_type: 'background',
  };
}
