import { FinkitError } from '../errors/finkit-error.js';
import { currencyExponent } from './currency.js';

/**
 * An amount of money: a safe integer of minor units (cents for USD, yen for JPY, fils for BHD)
 * and its ISO 4217 currency. Negative is money out of the user's account.
 */
export interface Money {
  readonly amount: number;
  readonly currency: string;
}

function assertMinorUnits(amount: number): void {
  if (!Number.isSafeInteger(amount)) {
    throw new FinkitError('VALIDATION', `Amount must be a safe integer of minor units, got ${amount}`, {
      details: { amount },
    });
  }
}

export function money(amount: number, currency: string): Money {
  assertMinorUnits(amount);
  currencyExponent(currency);
  return { amount, currency };
}

function sameCurrency(a: Money, b: Money): void {
  assertMinorUnits(a.amount);
  assertMinorUnits(b.amount);
  if (a.currency !== b.currency) {
    throw new FinkitError('CURRENCY_MISMATCH', `Cannot combine ${a.currency} with ${b.currency}`, {
      details: { left: a.currency, right: b.currency },
    });
  }
}

function checked(amount: number, currency: string): Money {
  if (!Number.isSafeInteger(amount)) {
    throw new FinkitError('VALIDATION', `Result ${amount} is outside the safe integer range`, {
      details: { currency },
    });
  }
  return { amount, currency };
}

export function addMoney(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return checked(a.amount + b.amount, a.currency);
}

export function subtractMoney(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return checked(a.amount - b.amount, a.currency);
}

export function negateMoney(a: Money): Money {
  assertMinorUnits(a.amount);
  return { amount: a.amount === 0 ? 0 : -a.amount, currency: a.currency };
}

/** Sum of amounts in one currency; an empty list needs the currency to know what zero is. */
export function sumMoney(items: readonly Money[], currency: string): Money {
  let total = 0;
  for (const item of items) {
    sameCurrency(item, { amount: 0, currency });
    total += item.amount;
    if (!Number.isSafeInteger(total)) checked(total, currency);
  }
  return { amount: total, currency };
}

export function compareMoney(a: Money, b: Money): -1 | 0 | 1 {
  sameCurrency(a, b);
  return a.amount < b.amount ? -1 : a.amount > b.amount ? 1 : 0;
}

/**
 * Multiplies by a ratio with round-half-even, for shares and percentages (never for storage of
 * provider amounts). `numerator / denominator` must be finite.
 */
export function allocateRatio(a: Money, numerator: number, denominator: number): Money {
  if (!Number.isFinite(numerator) || !Number.isFinite(denominator) || denominator === 0) {
    throw new FinkitError('VALIDATION', 'Ratio must be finite with a non-zero denominator');
  }
  assertMinorUnits(a.amount);
  if (Number.isSafeInteger(numerator) && Number.isSafeInteger(denominator)) {
    // Integer ratios (the common case: shares, basis points) are computed exactly.
    const units = divideHalfEven(BigInt(a.amount) * BigInt(numerator), BigInt(denominator));
    return checked(Number(units), a.currency);
  }
  const exact = (a.amount * numerator) / denominator;
  return checked(roundHalfEven(exact), a.currency);
}

function divideHalfEven(n: bigint, d: bigint): bigint {
  const num = d < 0n ? -n : n;
  const den = d < 0n ? -d : d;
  let q = num / den;
  let r = num % den;
  if (r < 0n) {
    q -= 1n;
    r += den;
  }
  if (2n * r > den || (2n * r === den && q % 2n !== 0n)) q += 1n;
  return q;
}

function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

const decimalPattern = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

// Digits before the decimal point that a safe integer can have (2^53 - 1 has 16).
const maxWholeDigits = 16;

/**
 * Converts a decimal amount (a string, or a number as JSON parsed it) to integer minor units
 * without floating-point arithmetic: `0.1 + 0.2` becomes 30 cents, not 30.000000000000004.
 * Digits beyond the currency's exponent are rounded half-to-even.
 */
export function decimalToMinor(value: string | number, currency: string): number {
  const exponent = currencyExponent(currency);
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new FinkitError('VALIDATION', `Amount is not a finite number: ${value}`);
  }
  // String(number) yields the shortest decimal that round-trips, which is what the sender wrote.
  const text = typeof value === 'number' ? String(value) : value.trim();
  const match = decimalPattern.exec(text);
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) {
    throw new FinkitError('VALIDATION', `Not a decimal amount: ${JSON.stringify(value)}`, {
      details: { value: String(value) },
    });
  }
  const [, sign, intPart = '', fracPart = '', expPart] = match;
  const digits = (intPart + fracPart).replace(/^0+/, '');
  if (digits === '') return 0;
  const leadingZeros = intPart.length + fracPart.length - digits.length;
  // Where the decimal point falls in `digits` once shifted by the scientific exponent and the
  // currency exponent. Bounded before any padding so '1e999999999' cannot allocate a huge string.
  const point = intPart.length - leadingZeros + exponent + (expPart ? Number.parseInt(expPart, 10) : 0);
  if (point > maxWholeDigits) {
    throw new FinkitError('VALIDATION', `Amount ${text} ${currency} is too large to represent exactly`, {
      details: { value: text, currency },
    });
  }
  // Below a tenth of a minor unit: rounds to zero whatever the digits are.
  if (point < 0) return 0;
  const whole = digits.slice(0, point).padEnd(point, '0') || '0';
  const rest = digits.slice(point);
  let units = BigInt(whole);
  if (/[1-9]/.test(rest)) {
    const first = rest.charCodeAt(0) - 48;
    const beyond = /[1-9]/.test(rest.slice(1));
    const roundUp = first > 5 || (first === 5 && (beyond || units % 2n === 1n));
    if (roundUp) units += 1n;
  }
  if (sign === '-') units = -units;
  const result = Number(units);
  if (!Number.isSafeInteger(result)) {
    throw new FinkitError('VALIDATION', `Amount ${text} ${currency} is too large to represent exactly`, {
      details: { value: text, currency },
    });
  }
  return result === 0 ? 0 : result;
}

/** The exact decimal string of an amount, e.g. `-12.30` for -1230 USD, `1500` for 1500 JPY. */
export function minorToDecimal(amount: number, currency: string): string {
  assertMinorUnits(amount);
  const exponent = currencyExponent(currency);
  const negative = amount < 0;
  const digits = String(Math.abs(amount)).padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const frac = digits.slice(digits.length - exponent);
  return `${negative ? '-' : ''}${whole}${exponent > 0 ? `.${frac}` : ''}`;
}

/** Formats for people, e.g. `-$12.30` or `¥1,500`. Exact: Intl receives the decimal string. */
export function formatMoney(value: Money, locale = 'en-US'): string {
  const exponent = currencyExponent(value.currency);
  const formatter = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: value.currency,
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
  });
  // Intl.NumberFormat.format accepts decimal strings (ES2023) and keeps every digit.
  return formatter.format(minorToDecimal(value.amount, value.currency) as unknown as number);
}
