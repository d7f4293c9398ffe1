import { FinkitError } from '@finkit/core';
import { describe, expect, it } from 'vitest';
import {
  mapPlaidAccount,
  mapPlaidCategory,
  mapPlaidTransaction,
  type PlaidTransactionLike,
} from '../src/index.js';

const base: PlaidTransactionLike = {
  transaction_id: 't1',
  account_id: 'a1',
  pending_transaction_id: null,
  amount: 0,
  iso_currency_code: 'USD',
  unofficial_currency_code: null,
  date: '2025-06-01',
  authorized_date: '2025-05-31',
  name: 'SQ *BLUE BOTTLE COFFEE OAKLAND CA',
  merchant_name: 'Blue Bottle Coffee',
  pending: false,
  personal_finance_category: {
    primary: 'FOOD_AND_DRINK',
    detailed: 'FOOD_AND_DRINK_COFFEE',
    confidence_level: 'VERY_HIGH',
  },
};

const amountOf = (amount: number, currency = 'USD') =>
  mapPlaidTransaction({ ...base, amount, iso_currency_code: currency }).amount;

describe('mapPlaidTransaction', () => {
  it("flips Plaid's sign and converts decimals to exact minor units", () => {
    expect(amountOf(4.35)).toBe(-435);
    expect(amountOf(-3124.5)).toBe(312_450);
    expect(amountOf(0.1 + 0.2)).toBe(-30);
    expect(amountOf(1.005)).toBe(-100);
    expect(amountOf(19.99)).toBe(-1999);
    expect(amountOf(123456789.01)).toBe(-12_345_678_901);
    expect(Object.is(amountOf(0), 0)).toBe(true);
  });

  it('respects the currency exponent: JPY has none, BHD has three', () => {
    expect(amountOf(1500, 'JPY')).toBe(-1500);
    expect(amountOf(-1500, 'JPY')).toBe(1500);
    expect(amountOf(12.345, 'BHD')).toBe(-12_345);
  });

  it('maps every field and falls back to the unofficial currency code', () => {
    const mapped = mapPlaidTransaction({
      ...base,
      amount: 12.5,
      iso_currency_code: null,
      unofficial_currency_code: 'EUR',
      pending: true,
      pending_transaction_id: 'p0',
    });
    expect(mapped).toEqual({
      providerTransactionId: 't1',
      providerAccountId: 'a1',
      pendingTransactionId: 'p0',
      date: '2025-06-01',
      authorizedDate: '2025-05-31',
      amount: -1250,
      currency: 'EUR',
      description: 'SQ *BLUE BOTTLE COFFEE OAKLAND CA',
      merchantName: 'Blue Bottle Coffee',
      pending: true,
      providerCategory: {
        primary: 'FOOD_AND_DRINK',
        detailed: 'FOOD_AND_DRINK_COFFEE',
        confidenceLevel: 'VERY_HIGH',
        version: 'v2',
      },
    });
  });

  it('rejects amounts it cannot represent with a PROVIDER error', () => {
    const error = (() => {
      try {
        mapPlaidTransaction({ ...base, amount: 1, iso_currency_code: null, unofficial_currency_code: 'BTC' });
      } catch (e) {
        return e;
      }
    })();
    expect(FinkitError.hasCode(error, 'PROVIDER')).toBe(true);
    expect(() => mapPlaidTransaction({ ...base, iso_currency_code: null })).toThrow(/without a currency/);
  });
});

describe('mapPlaidCategory', () => {
  it('takes the stated version, else recognises v1-only and v2 codes', () => {
    expect(mapPlaidCategory({ primary: 'INCOME', detailed: 'INCOME_WAGES', version: 'v2' })?.version).toBe(
      'v2',
    );
    expect(mapPlaidCategory({ primary: 'INCOME', detailed: 'INCOME_WAGES' })?.version).toBe('v1');
    expect(mapPlaidCategory({ primary: 'INCOME', detailed: 'INCOME_SALARY' })?.version).toBe('v2');
    expect(mapPlaidCategory({ primary: 'MADE_UP', detailed: 'MADE_UP_THING' })?.version).toBeNull();
    expect(mapPlaidCategory(null)).toBeNull();
    expect(mapPlaidCategory({ primary: 'X', detailed: 'X_Y' })?.confidenceLevel).toBeNull();
  });
});

describe('mapPlaidAccount', () => {
  it('converts balances exactly and maps types', () => {
    const asOf = new Date('2025-06-30T00:00:00Z');
    const account = mapPlaidAccount(
      {
        account_id: 'acc',
        name: 'Plaid Credit Card',
        official_name: null,
        type: 'credit',
        subtype: 'credit card',
        mask: '3333',
        balances: {
          available: 9853.13,
          current: 146.87,
          limit: 10000,
          iso_currency_code: 'USD',
          unofficial_currency_code: null,
        },
      },
      asOf,
    );
    expect(account.balances).toEqual({
      current: 14_687,
      available: 985_313,
      limit: 1_000_000,
      currency: 'USD',
      asOf,
    });
    expect(account.type).toBe('credit');
    const brokerage = mapPlaidAccount(
      {
        account_id: 'b',
        name: 'Brokerage',
        official_name: null,
        type: 'brokerage',
        subtype: null,
        mask: null,
        balances: {
          available: null,
          current: 100000,
          limit: null,
          iso_currency_code: 'JPY',
          unofficial_currency_code: null,
        },
      },
      asOf,
    );
    expect([brokerage.type, brokerage.balances.current, brokerage.balances.available]).toEqual([
      'investment',
      100_000,
      null,
    ]);
  });
});
