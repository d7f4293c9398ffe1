import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FinkitError, type FinkitErrorCode } from '../errors/finkit-error.js';
import {
  addMoney,
  allocateRatio,
  compareMoney,
  decimalToMinor,
  formatMoney,
  minorToDecimal,
  money,
  negateMoney,
  subtractMoney,
  sumMoney,
} from './money.js';

function codeOf(fn: () => unknown): FinkitErrorCode | 'no error' | 'not a FinkitError' {
  try {
    fn();
  } catch (error) {
    return FinkitError.isInstance(error) ? error.code : 'not a FinkitError';
  }
  return 'no error';
}

describe('decimalToMinor', () => {
  it('is exact where floats are not', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(decimalToMinor(0.1 + 0.2, 'USD')).toBe(30);
    expect(decimalToMinor('0.1', 'USD') + decimalToMinor('0.2', 'USD')).toBe(30);
    expect(decimalToMinor(19.99, 'USD')).toBe(1999);
    expect(decimalToMinor(1.005, 'USD')).toBe(100); // 1.005 -> half-even -> 1.00
  });

  it('keeps every digit of 15-digit amounts, as strings and numbers', () => {
    expect(decimalToMinor('1234567890123.45', 'USD')).toBe(123456789012345);
    expect(decimalToMinor(1234567890123.45, 'USD')).toBe(123456789012345);
    expect(decimalToMinor('-1234567890123.45', 'USD')).toBe(-123456789012345);
  });

  it('uses the currency exponent', () => {
    expect(decimalToMinor('12.345', 'BHD')).toBe(12345);
    expect(decimalToMinor('1500', 'JPY')).toBe(1500);
    expect(decimalToMinor('1.2345', 'CLF')).toBe(12345);
    expect(decimalToMinor('7', 'KWD')).toBe(7000);
  });

  it('handles negatives, signs, zeros and loose forms', () => {
    expect(decimalToMinor('-12.30', 'USD')).toBe(-1230);
    expect(decimalToMinor('+4.5', 'USD')).toBe(450);
    expect(decimalToMinor(' 4.50 ', 'USD')).toBe(450);
    expect(decimalToMinor('.5', 'USD')).toBe(50);
    expect(decimalToMinor('5.', 'USD')).toBe(500);
    expect(decimalToMinor('007.10', 'USD')).toBe(710);
    expect(Object.is(decimalToMinor('-0.00', 'USD'), 0)).toBe(true);
    expect(Object.is(decimalToMinor('-0.004', 'USD'), 0)).toBe(true);
  });

  it('reads exponent notation', () => {
    expect(decimalToMinor(1e-7, 'USD')).toBe(0);
    expect(decimalToMinor('1.5e3', 'USD')).toBe(150000);
    expect(decimalToMinor(1.5e3, 'USD')).toBe(150000);
    expect(decimalToMinor('125E-2', 'USD')).toBe(125);
    expect(decimalToMinor('5e-3', 'USD')).toBe(0); // exactly half a cent, rounds to even 0
    expect(decimalToMinor('1.5e-2', 'USD')).toBe(2); // 1.5 cents -> 2
    expect(decimalToMinor('1e-999999999', 'USD')).toBe(0);
    expect(decimalToMinor('0e999999999', 'USD')).toBe(0);
  });

  it('rounds extra digits half to even, symmetrically for negatives', () => {
    expect(decimalToMinor('0.125', 'USD')).toBe(12);
    expect(decimalToMinor('0.135', 'USD')).toBe(14);
    expect(decimalToMinor('0.1251', 'USD')).toBe(13);
    expect(decimalToMinor('0.1249999', 'USD')).toBe(12);
    expect(decimalToMinor('-0.125', 'USD')).toBe(-12);
    expect(decimalToMinor('-0.135', 'USD')).toBe(-14);
    expect(decimalToMinor('2.5', 'JPY')).toBe(2);
    expect(decimalToMinor('3.5', 'JPY')).toBe(4);
    expect(decimalToMinor('0.99999', 'USD')).toBe(100);
  });

  it.each([
    '',
    ' ',
    'abc',
    '1,000.00',
    '1.2.3',
    '$5',
    '--1',
    '1e',
    'e5',
    '.',
    '-',
    '0x10',
    'NaN',
    'Infinity',
  ])('rejects %j with VALIDATION', (text) => {
    expect(codeOf(() => decimalToMinor(text, 'USD'))).toBe('VALIDATION');
  });

  it('rejects non-finite numbers and unknown currencies with VALIDATION', () => {
    expect(codeOf(() => decimalToMinor(Number.NaN, 'USD'))).toBe('VALIDATION');
    expect(codeOf(() => decimalToMinor(Number.POSITIVE_INFINITY, 'USD'))).toBe('VALIDATION');
    expect(codeOf(() => decimalToMinor('1.00', 'ZZZ'))).toBe('VALIDATION');
  });

  it('rejects amounts beyond the safe integer range', () => {
    expect(decimalToMinor('90071992547409.91', 'USD')).toBe(Number.MAX_SAFE_INTEGER);
    expect(codeOf(() => decimalToMinor('90071992547409.92', 'USD'))).toBe('VALIDATION');
    expect(codeOf(() => decimalToMinor('-90071992547409.92', 'USD'))).toBe('VALIDATION');
    expect(codeOf(() => decimalToMinor('1e20', 'USD'))).toBe('VALIDATION');
    expect(codeOf(() => decimalToMinor('1e999999999', 'USD'))).toBe('VALIDATION');
    expect(codeOf(() => decimalToMinor(1e21, 'JPY'))).toBe('VALIDATION');
  });
});

describe('minorToDecimal', () => {
  it('writes the exact decimal', () => {
    expect(minorToDecimal(-1230, 'USD')).toBe('-12.30');
    expect(minorToDecimal(5, 'USD')).toBe('0.05');
    expect(minorToDecimal(-5, 'USD')).toBe('-0.05');
    expect(minorToDecimal(0, 'USD')).toBe('0.00');
    expect(minorToDecimal(1500, 'JPY')).toBe('1500');
    expect(minorToDecimal(12345, 'BHD')).toBe('12.345');
    expect(minorToDecimal(1, 'CLF')).toBe('0.0001');
    expect(minorToDecimal(Number.MAX_SAFE_INTEGER, 'USD')).toBe('90071992547409.91');
  });

  it('rejects non-integers', () => {
    expect(codeOf(() => minorToDecimal(1.5, 'USD'))).toBe('VALIDATION');
    expect(codeOf(() => minorToDecimal(2 ** 53, 'USD'))).toBe('VALIDATION');
  });

  it('round-trips through decimalToMinor for any safe integer and currency', () => {
    const currencies = ['USD', 'JPY', 'BHD', 'KWD', 'CLF', 'EUR'];
    fc.assert(
      fc.property(fc.maxSafeInteger(), fc.constantFrom(...currencies), (amount, currency) => {
        expect(decimalToMinor(minorToDecimal(amount, currency), currency)).toBe(amount);
      }),
      { numRuns: 500 },
    );
  });
});

describe('formatMoney', () => {
  // Intl uses non-breaking spaces in some locales; compare on plain spaces.
  const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

  it('formats for en-US, de-DE and ja-JP', () => {
    expect(formatMoney(money(-1230, 'USD'))).toBe('-$12.30');
    expect(plain(formatMoney(money(123456, 'EUR'), 'de-DE'))).toBe('1.234,56 €');
    expect(formatMoney(money(1500, 'JPY'), 'ja-JP')).toMatch(/^[¥￥]1,500$/);
    expect(formatMoney(money(12345, 'BHD'), 'en-US')).toMatch(/12\.345$/);
  });

  it('keeps all digits of a 15-digit amount', () => {
    expect(formatMoney(money(123456789012345, 'USD'))).toBe('$1,234,567,890,123.45');
    expect(plain(formatMoney(money(123456789012345, 'EUR'), 'de-DE'))).toBe('1.234.567.890.123,45 €');
    expect(formatMoney(money(Number.MAX_SAFE_INTEGER, 'USD'))).toBe('$90,071,992,547,409.91');
  });
});

describe('arithmetic', () => {
  it('adds, subtracts, sums, compares and negates within one currency', () => {
    expect(addMoney(money(150, 'USD'), money(-50, 'USD'))).toEqual({ amount: 100, currency: 'USD' });
    expect(subtractMoney(money(150, 'USD'), money(200, 'USD'))).toEqual({ amount: -50, currency: 'USD' });
    expect(sumMoney([money(1, 'EUR'), money(2, 'EUR'), money(3, 'EUR')], 'EUR').amount).toBe(6);
    expect(sumMoney([], 'EUR')).toEqual({ amount: 0, currency: 'EUR' });
    expect(compareMoney(money(1, 'USD'), money(2, 'USD'))).toBe(-1);
    expect(compareMoney(money(2, 'USD'), money(2, 'USD'))).toBe(0);
    expect(Object.is(negateMoney(money(0, 'USD')).amount, 0)).toBe(true);
    expect(negateMoney(money(5, 'USD')).amount).toBe(-5);
  });

  it('refuses mixed currencies with CURRENCY_MISMATCH', () => {
    const usd = money(100, 'USD');
    const eur = money(100, 'EUR');
    expect(codeOf(() => addMoney(usd, eur))).toBe('CURRENCY_MISMATCH');
    expect(codeOf(() => subtractMoney(usd, eur))).toBe('CURRENCY_MISMATCH');
    expect(codeOf(() => compareMoney(usd, eur))).toBe('CURRENCY_MISMATCH');
    expect(codeOf(() => sumMoney([usd, eur], 'USD'))).toBe('CURRENCY_MISMATCH');
  });

  it('rejects results past the safe integer range', () => {
    const max = money(Number.MAX_SAFE_INTEGER, 'USD');
    expect(codeOf(() => addMoney(max, money(1, 'USD')))).toBe('VALIDATION');
    expect(codeOf(() => subtractMoney(negateMoney(max), money(1, 'USD')))).toBe('VALIDATION');
    expect(codeOf(() => sumMoney([max, money(1, 'USD')], 'USD'))).toBe('VALIDATION');
  });

  it('rejects amounts that are not minor units', () => {
    expect(codeOf(() => money(1.5, 'USD'))).toBe('VALIDATION');
    expect(codeOf(() => money(100, 'usd'))).toBe('VALIDATION');
    const fake = { amount: 0.5, currency: 'USD' };
    expect(codeOf(() => addMoney(fake, fake))).toBe('VALIDATION');
  });

  it('allocates ratios with half-even rounding, exactly for integer ratios', () => {
    expect(allocateRatio(money(1000, 'USD'), 1, 3).amount).toBe(333);
    expect(allocateRatio(money(5, 'USD'), 1, 2).amount).toBe(2);
    expect(allocateRatio(money(7, 'USD'), 1, 2).amount).toBe(4);
    expect(allocateRatio(money(-5, 'USD'), 1, 2).amount).toBe(-2);
    expect(allocateRatio(money(-7, 'USD'), 1, 2).amount).toBe(-4);
    expect(allocateRatio(money(-7, 'USD'), 1, -2).amount).toBe(4);
    // 2^53 - 1 times 3 / 3 overflows a double in the middle; exact arithmetic does not.
    expect(allocateRatio(money(Number.MAX_SAFE_INTEGER, 'USD'), 3, 3).amount).toBe(Number.MAX_SAFE_INTEGER);
    expect(allocateRatio(money(1000, 'USD'), 0.15, 1).amount).toBe(150);
    expect(codeOf(() => allocateRatio(money(1, 'USD'), 1, 0))).toBe('VALIDATION');
  });
});
