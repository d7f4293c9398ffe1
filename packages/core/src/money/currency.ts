import { FinkitError } from '../errors/finkit-error.js';

// ISO 4217 minor-unit exponents that are not 2. CLDR (and so Intl) disagrees with ISO for a
// few codes (cash rounding, e.g. HUF), and stored amounts must follow ISO, so the table is ours.
const exponents: Record<string, number> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

// ISO 4217 fund codes that ICU leaves out of Intl.supportedValuesOf but that banks report
// (Chile's UF, Uruguay's UI/UW, Bolivia's Mvdol, ...). Intl still formats them.
const fundCodes = ['BOV', 'CHE', 'CHW', 'CLF', 'COU', 'MXV', 'USN', 'UYI', 'UYW', 'VED'];

const known = new Set<string>([...Intl.supportedValuesOf('currency'), ...fundCodes]);

/** True for a three-letter ISO 4217 code this runtime knows. */
export function isCurrencyCode(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && known.has(code);
}

/** Number of minor-unit digits of an ISO 4217 currency: 2 for USD, 0 for JPY, 3 for BHD. */
export function currencyExponent(currency: string): number {
  if (!isCurrencyCode(currency)) {
    throw new FinkitError('VALIDATION', `Unknown ISO 4217 currency code: ${JSON.stringify(currency)}`, {
      details: { currency },
    });
  }
  return exponents[currency] ?? 2;
}
