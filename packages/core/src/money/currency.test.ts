import { describe, expect, it } from 'vitest';
import { FinkitError } from '../errors/finkit-error.js';
import { currencyExponent, isCurrencyCode } from './currency.js';

describe('currencyExponent', () => {
  it.each([
    ['USD', 2],
    ['EUR', 2],
    ['JPY', 0],
    ['KRW', 0],
    ['BHD', 3],
    ['KWD', 3],
    ['CLF', 4],
    ['UYW', 4],
    ['UYI', 0],
  ])('%s has %i minor digits', (code, exponent) => {
    expect(currencyExponent(code)).toBe(exponent);
  });

  it.each(['usd', 'US', 'USDX', 'ABC', 'XXX', '', ' USD'])('rejects %j with VALIDATION', (code) => {
    let caught: unknown;
    try {
      currencyExponent(code);
    } catch (error) {
      caught = error;
    }
    expect(FinkitError.hasCode(caught, 'VALIDATION')).toBe(true);
  });
});

describe('isCurrencyCode', () => {
  it('knows ISO codes, fund codes ICU omits, and nothing made up', () => {
    expect(isCurrencyCode('GBP')).toBe(true);
    expect(isCurrencyCode('CLF')).toBe(true);
    expect(isCurrencyCode('ZZZ')).toBe(false);
    expect(isCurrencyCode('gbp')).toBe(false);
  });
});
