import { merchantKey } from './normalize-merchant.js';

// 2^20 buckets: collisions stay rare for one user's vocabulary while ids fit a Uint32Array.
const featureBits = 20;
const featureMask = (1 << featureBits) - 1;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a of a one-character tag followed by a string, folded to the feature space. */
function hash(tag: string, text: string): number {
  let h = Math.imul(FNV_OFFSET ^ tag.charCodeAt(0), FNV_PRIME);
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
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
  // The 3-, 4- and 5-grams starting at one position share their prefix: one running hash gives
  // all three, with no substring built (the same ids as hashing `c` + each n-gram).
  const tag = Math.imul(FNV_OFFSET ^ 99 /* c */, FNV_PRIME);
  for (let i = 0; i + 3 <= padded.length; i++) {
    let h = tag;
    for (let n = 1; n <= 5 && i + n <= padded.length; n++) {
      h = Math.imul(h ^ padded.charCodeAt(i + n - 1), FNV_PRIME);
      if (n >= 3) out.add((h >>> 0) & featureMask);
    }
  }
  for (const word of merchantKey(description).split(' ')) {
    if (word.length > 1 && !/^\d+$/.test(word)) out.add(hash('w', word));
  }
  const bucket = amountBucket(amount);
  out.add(hash('a', bucket));
  out.add(hash('s', bucket.slice(0, bucket.indexOf(':'))));
  const space = merchant.indexOf(' ');
  out.add(hash('f', `${space < 0 ? merchant : merchant.slice(0, space)}|${bucket}`));
  out.add(hash('b', 'ias'));
  return Uint32Array.from(out);
}
