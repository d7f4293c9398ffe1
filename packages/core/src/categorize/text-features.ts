import { merchantKey } from './normalize-merchant.js';

// 2^20 buckets: collisions stay rare for one user's vocabulary while ids fit a Uint32Array.
const featureBits = 20;
const featureMask = (1 << featureBits) - 1;

/** FNV-1a of a string, folded to the feature space. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) & featureMask;
}

/** Sign and order of magnitude: `$4.50` and `$6` share a bucket, `$1,800` rent does not. */
export function amountBucket(amount: number): string {
  const sign = amount < 0 ? 'out' : amount > 0 ? 'in' : 'zero';
  const dollars = Math.abs(amount) / 100;
  return `${sign}:${Math.floor(Math.log2(dollars + 1))}`;
}

/**
 * Hashed features of a transaction for the learned model: character 3- to 5-grams of the
 * normalized merchant (robust to truncation and spelling variants of descriptors), words of the
 * whole descriptor (keeps words the normalizer dropped, such as `PAYROLL`), and the amount's
 * sign and magnitude, alone and with the first word (a large Venmo differs from a small one).
 */
export function textFeatures(merchant: string, description: string, amount: number): Uint32Array {
  const out = new Set<number>();
  const padded = ` ${merchant} `;
  for (let n = 3; n <= 5; n++) {
    for (let i = 0; i + n <= padded.length; i++) out.add(hash(`c${padded.slice(i, i + n)}`));
  }
  const words = merchantKey(description)
    .split(' ')
    .filter((w) => w.length > 1 && !/^\d+$/.test(w));
  for (const word of words) out.add(hash(`w${word}`));
  const bucket = amountBucket(amount);
  out.add(hash(`a${bucket}`));
  out.add(hash(`s${bucket.slice(0, bucket.indexOf(':'))}`));
  const first = merchant.split(' ')[0] ?? '';
  out.add(hash(`f${first}|${bucket}`));
  out.add(hash('bias'));
  return Uint32Array.from(out);
}
