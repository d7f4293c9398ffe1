// The GSM 03.38 default alphabet; anything outside it (and its extension table) forces UCS-2.
const gsmBasic = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
// Each of these costs two septets (an escape, then the character).
const gsmExtended = new Set('\f^{}\\[~]|€');

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsFit {
  text: string;
  encoding: SmsEncoding;
  segments: number;
  truncated: boolean;
}

const unitsOf = (char: string, encoding: SmsEncoding): number =>
  encoding === 'GSM-7' ? (gsmExtended.has(char) ? 2 : 1) : char.length;

function measure(chars: readonly string[], encoding: SmsEncoding): number {
  let units = 0;
  for (const char of chars) units += unitsOf(char, encoding);
  return units;
}

function segmentsFor(units: number, encoding: SmsEncoding): number {
  const single = encoding === 'GSM-7' ? 160 : 70;
  const multi = encoding === 'GSM-7' ? 153 : 67;
  return units <= single ? 1 : Math.ceil(units / multi);
}

/**
 * Fits `text` into at most `maxSegments` SMS segments: GSM-7 (160 septets, 153 per part when
 * split) when every character is in the GSM alphabet, UCS-2 (70, or 67 per part) otherwise.
 * Longer text is cut at a character boundary and ends with an ellipsis of the same encoding
 * (`...` in GSM-7, where `…` does not exist).
 */
export function fitSms(text: string, maxSegments: number): SmsFit {
  const chars = Array.from(text);
  const encoding: SmsEncoding = chars.every((c) => gsmBasic.has(c) || gsmExtended.has(c)) ? 'GSM-7' : 'UCS-2';
  const units = measure(chars, encoding);
  if (segmentsFor(units, encoding) <= maxSegments) {
    return { text, encoding, segments: segmentsFor(units, encoding), truncated: false };
  }
  const capacity =
    maxSegments === 1 ? (encoding === 'GSM-7' ? 160 : 70) : maxSegments * (encoding === 'GSM-7' ? 153 : 67);
  const ellipsis = encoding === 'GSM-7' ? '...' : '…';
  const budget = capacity - measure(Array.from(ellipsis), encoding);
  let used = 0;
  let cut = 0;
  while (cut < chars.length) {
    const next = unitsOf(chars[cut] ?? '', encoding);
    if (used + next > budget) break;
    used += next;
    cut += 1;
  }
  const fitted = `${chars.slice(0, cut).join('').trimEnd()}${ellipsis}`;
  return {
    text: fitted,
    encoding,
    segments: segmentsFor(measure(Array.from(fitted), encoding), encoding),
    truncated: true,
  };
}
