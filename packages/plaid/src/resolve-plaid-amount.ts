import { decimalToMinor, FinkitError } from '@finkit/core';

/** Plaid names a currency either by ISO code or, for ones ISO lacks, by an unofficial code. */
export function resolvePlaidCurrency(
  iso: string | null | undefined,
  unofficial: string | null | undefined,
  what: string,
): string {
  const currency = iso ?? unofficial;
  if (!currency) {
    throw new FinkitError('PROVIDER', `Plaid sent ${what} without a currency`, {
      details: { providerCode: 'MISSING_CURRENCY' },
    });
  }
  return currency;
}

/** A Plaid decimal amount as exact integer minor units, or a PROVIDER error finkit can act on. */
export function plaidDecimalToMinor(value: number | string, currency: string, what: string): number {
  try {
    return decimalToMinor(value, currency);
  } catch (error) {
    throw new FinkitError('PROVIDER', `Cannot represent ${what} of ${String(value)} ${currency}`, {
      cause: error,
      details: { providerCode: 'UNSUPPORTED_AMOUNT', currency },
    });
  }
}
