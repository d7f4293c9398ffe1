/** A descriptor reduced to the merchant it names. */
export interface NormalizedMerchant {
  /** For people: `Blue Bottle Coffee`. Empty when nothing recognisable is left. */
  name: string;
  /** For matching: lowercase words without punctuation, `blue bottle coffee`. */
  key: string;
}

// Bank and card-network noise in front of the merchant. Longest first, so a long phrase wins
// over its own prefix; applied repeatedly because banks stack them (`POS DEBIT ... VISA`).
const noisePrefixes = [
  /^(?:DEBIT|CREDIT|CHECK) ?CARD (?:PURCHASE|PURCH|PMT|PAYMENT)(?: RETURN)?\b/,
  /^PURCHASE AUTHORI[ZS]ED ON \d{1,2}\/\d{1,2}\b/,
  /^PURCHASE RETURN AUTHORI[ZS]ED ON \d{1,2}\/\d{1,2}\b/,
  /^RECURRING (?:DEBIT CARD |CARD )?(?:PURCHASE|PAYMENT|PMT)(?: AUTHORI[ZS]ED ON \d{1,2}\/\d{1,2})?\b/,
  /^(?:POS|PIN) (?:DEBIT|PURCHASE|PURCH|WITHDRAWAL|WD|REFUND|RETURN|CREDIT)\b/,
  /^(?:VISA|MC|MASTERCARD) (?:DDA )?(?:PUR|PURCHASE|PURCH|DEBIT|CREDIT)\b/,
  /^(?:ACH|EFT) (?:DEBIT|CREDIT|WITHDRAWAL|DEPOSIT|PMT|PAYMENT|TRANSFER|HOLD)\b/,
  /^(?:ELECTRONIC|ONLINE|MOBILE) (?:PAYMENT|PMT|WITHDRAWAL|DEPOSIT|PURCHASE)\b/,
  /^(?:PREAUTHORIZED|PRE-AUTHORIZED|PRE-AUTHORIZATION|PREAUTH) (?:DEBIT|CREDIT|PAYMENT|PMT)?\b/,
  /^(?:DBT|DEBIT) (?:CRD|CARD|PURCHASE|PURCH)\b/,
  /^CHECKCARD(?: \d{4})?\b/,
  /^(?:EXTERNAL|EXT) (?:WITHDRAWAL|DEPOSIT)\b/,
  /^(?:DEBIT|CREDIT|PURCHASE|POS|ACH|EFT|VISA|CHECKCARD|WITHDRAWAL|DEPOSIT|PMT|PAYMENT TO|PAYMENT)\b/,
];

// Payment processors and marketplaces whose prefix hides the real merchant after it.
const processorPrefixes =
  /^(?:SQ|SQU|SQUARE|TST|TOAST|PAYPAL|PP|SP|SPO|SPOT|IC|CKO|PY|WPY|BT|FS|ZTL|IN|GGL|EB|ZLR|DNH|AUT|ACT|PAR|CLV|SUM|SMK|LS|PLI|FSP|NYX|DBA)\s?\*\s*/;

// Brands whose descriptor starts with the brand and continues with an order id or product.
const brandPrefixes: readonly [RegExp, string][] = [
  [/^(?:AMZN|AMAZON)\s?(?:MKTP|MKTPLACE|MARKETPLACE)\b.*/, 'Amazon Marketplace'],
  [/^AMZN\s?(?:DIGITAL|DIGI)\b.*/, 'Amazon Digital'],
  [/^(?:AMAZON\s?PRIME|AMZN\s?PRIME|PRIME\s?VIDEO)\b.*/, 'Amazon Prime'],
  [/^(?:AMZN|AMAZON)\s?(?:FRESH)\b.*/, 'Amazon Fresh'],
  [/^(?:AMAZON\.COM|AMZN\.COM|AMAZON COM|AMZN)\b.*/, 'Amazon'],
  [/^UBER\s?\*?\s?EATS\b.*/, 'Uber Eats'],
  [/^UBER\b.*/, 'Uber'],
  [/^LYFT\b.*/, 'Lyft'],
  [/^(?:DOORDASH|DD \*DOORDASH|DD\s?\*)\b.*/, 'DoorDash'],
  [/^GRUBHUB\b.*/, 'Grubhub'],
  [/^INSTACART\b.*/, 'Instacart'],
  [/^(?:APPLE\.COM\/BILL|APPLE\.COM|APPLE COM BILL|APL\*\s?APPLE|APL\s?\*)\b.*/, 'Apple'],
  [/^(?:GOOGLE|GOOGLE \*|GOOGLE\*)\s?\*?\s?(?:YOUTUBE|YOUTUBEPREMIUM|YOUTUBE TV)\b.*/, 'YouTube'],
  [/^GOOGLE\s?\*?\s?(?:STORAGE|GOOGLE STORAGE|GOOGLE ONE)\b.*/, 'Google One'],
  [/^GOOGLE\s?\*?\s?(?:FI|GOOGLE FI)\b.*/, 'Google Fi'],
  [/^VENMO\b.*/, 'Venmo'],
  [/^(?:ZELLE|ZEL)\b.*/, 'Zelle'],
  [/^(?:CASH APP|SQUARE CASH|SQ \*CASH APP)\b.*/, 'Cash App'],
  [/^NETFLIX\b.*/, 'Netflix'],
  [/^SPOTIFY\b.*/, 'Spotify'],
  [/^(?:MSFT|MICROSOFT)\b.*/, 'Microsoft'],
  [/^(?:WM SUPERCENTER|WAL-MART|WALMART|WM\.COM)\b.*/, 'Walmart'],
  [/^(?:WHOLEFDS|WHOLE FOODS)\b.*/, 'Whole Foods'],
  [/^(?:TRADER JOE'?S?)\b.*/, "Trader Joe's"],
  [/^(?:COSTCO WHSE|COSTCO GAS|COSTCO)\b.*/, 'Costco'],
  [/^(?:CVS\/PHARMACY|CVS\/PHARM|CVS)\b.*/, 'CVS Pharmacy'],
  [/^(?:MCDONALD'?S|MC DONALD'?S)\b.*/, "McDonald's"],
  [/^(?:STARBUCKS)\b.*/, 'Starbucks'],
  [/^(?:7-ELEVEN|7 ELEVEN|7-11)\b.*/, '7-Eleven'],
];

// One alternation each, so a descriptor costs one regular-expression scan, not one per pattern.
const anyNoisePrefix = new RegExp(`^(?:${noisePrefixes.map((p) => p.source.slice(1)).join('|')})`);
const anyBrandPrefix = new RegExp(`^(?:${brandPrefixes.map(([p]) => `(${p.source.slice(1)})`).join('|')})`);

const usStates = new Set(
  (
    'AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND ' +
    'OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR'
  ).split(' '),
);

// The first word of two-word city names, so `SAN FRANCISCO CA` goes as a whole.
const cityFirstWords = new Set(
  'SAN SANTA LOS LAS NEW ST SAINT FT FORT EL PALO MOUNTAIN REDWOOD WEST EAST NORTH SOUTH LONG CORPUS BATON GRAND SALT KANSAS JERSEY OKLAHOMA CARSON COLORADO DALY DES FORT LAKE MENLO PORT SIOUX CEDAR BOWLING ANN CHULA COSTA DEL HUNTINGTON NEWPORT OVERLAND SHERMAN STUDIO CULVER BEVERLY WALNUT CASTRO SOUTH'.split(
    ' ',
  ),
);
const citySecondWords = new Set(
  'CITY BEACH SPRINGS HEIGHTS PARK VALLEY FALLS HILLS LAKE GROVE CREEK HARBOR POINT VILLAGE ISLAND'.split(
    ' ',
  ),
);

// Words that carry no merchant identity once they stand alone at the end.
const trailingNoise = new Set(
  'STR STO LOCATION LOC UNIT NO NUM # INC LLC CO CORP US USA PURCHASE PMT PAYMENT ID WEB ONLINE'.split(' '),
);

const phonePattern = /\b(?:\+?1[-. ]?)?\(?\d{3}\)?[-. ]\d{3}[-. ]\d{4}\b|\b(?:1)?8[0-9]{2}\d{7}\b/g;
const datePattern = /\b\d{1,2}[/-]\d{1,2}(?:[/-]\d{2,4})?\b/g;
const cardTailPattern =
  /\b(?:CARD|CRD|ACCT|ACCOUNT|ENDING IN|ENDING|XX+|X{2,}\d*)\s*[#:]?\s*(?:X*\d{4})\b|\bX{2,}\d{2,4}\b|\*{2,}\d{4}\b/g;
const refPattern =
  /\b(?:REF|TRACE|CONF|CONFIRMATION|AUTH|TRN|TXN|ID|WEB ID|PPD ID|CCD ID)\s*[#:]?\s*[A-Z0-9]{4,}\b/g;
const urlNoise = /\b(?:HTTPS?:\/\/|WWW\.)/g;
const moneyPattern = /\$?\b\d+\.\d{2}\b/g;
// Stands in for a removed phone, date or card tail: a place where the merchant's name has ended.
const marker = '#0';

function hasDigit(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}

/** A token that starts the tail of store numbers, ids and locations after a merchant's name. */
function isStoreNumber(token: string): boolean {
  // Every form below has a digit; most tokens are words, and one scan rules them out.
  if (!hasDigit(token)) return false;
  return (
    /^#?[A-Z]?\d{3,}[A-Z]?$/.test(token) ||
    /^#\d+$/.test(token) ||
    /^NO\.?\d+$/.test(token) ||
    // Order and terminal ids mixing letters and digits: `HMABCD1234`, `P1234-01`, `2K3LL1ZQ2`.
    (/^[A-Z0-9-]{5,}$/.test(token) && /\d.*\d/.test(token))
  );
}

/** Upper-cases a-z at the start and after a space, `-`, `/`, `&`, `(` or `.`; the rest lower. */
function titleCase(text: string): string {
  const lower = text.toLowerCase();
  let out = '';
  let from = 0;
  let afterSeparator = true;
  for (let i = 0; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    if (afterSeparator && c >= 97 && c <= 122) {
      out += lower.slice(from, i) + String.fromCharCode(c - 32);
      from = i + 1;
    }
    // space - / & ( .
    afterSeparator = c === 32 || c === 45 || c === 47 || c === 38 || c === 40 || c === 46;
  }
  return out + lower.slice(from);
}

/** The comparison form of a merchant name: lowercase words, no punctuation. */
export function merchantKey(name: string): string {
  // Each pass only when its character occurs: most names have none of them.
  let key = name.toLowerCase();
  if (key.includes('.com')) key = key.replace(/\.com\b/g, '');
  if (/['’`]/.test(key)) key = key.replace(/['’`]/g, '');
  if (key.includes('-') || key.includes('.')) key = key.replace(/(\w)[-.](?=\w)/g, '$1');
  if (key.includes('&')) key = key.replace(/&/g, ' and ');
  return key.replace(/[^a-z0-9]+/g, ' ').trim();
}

function dropTrailingLocation(tokens: string[]): string[] {
  const out = [...tokens];
  // `OAKLAND CA`, `SAN FRANCISCO CA`, `SALT LAKE CITY UT`; never drop the whole name.
  const last = out.at(-1);
  if (last !== undefined && usStates.has(last) && out.length >= 3) {
    out.pop();
    const city = out.at(-1);
    if (city !== undefined && out.length >= 2 && /^[A-Z.]+$/.test(city)) {
      out.pop();
      const before = out.at(-1);
      if (
        before !== undefined &&
        out.length >= 2 &&
        (cityFirstWords.has(before) || citySecondWords.has(city))
      ) {
        out.pop();
        const again = out.at(-1);
        if (again !== undefined && out.length >= 2 && cityFirstWords.has(again) && city === 'CITY') out.pop();
      }
    }
  } else if (last !== undefined && usStates.has(last) && out.length === 2 && last.length === 2) {
    out.pop();
  }
  return out;
}

/**
 * Reduces a raw bank descriptor to the merchant it names: drops processor prefixes (`SQ *`,
 * `TST*`, `PAYPAL *`, `PP*`), brand order ids (`AMZN Mktp US*2K3LL1`), bank noise (`POS`,
 * `ACH DEBIT`, `DEBIT CARD PURCHASE`), dates, card tails, phone numbers, reference ids, store
 * numbers and a trailing city and state. Pure and allocation-light: it runs once per transaction.
 */
export function normalizeMerchant(description: string): NormalizedMerchant {
  let text = description.toUpperCase().replace(/\s+/g, ' ').trim();
  if (text.includes('WWW.') || text.includes('HTTP')) text = text.replace(urlNoise, '');
  for (let match = anyNoisePrefix.exec(text); match; match = anyNoisePrefix.exec(text)) {
    const next = text.slice(match[0].length).replace(/^[\s\-:*#]+/, '');
    if (next.length === 0) break;
    text = next;
  }
  text = text.replace(processorPrefixes, '');
  const brand = anyBrandPrefix.exec(text);
  if (brand) {
    const at = brand.indexOf(brand[0], 1) - 1;
    const name = brandPrefixes[at]![1];
    return { name, key: merchantKey(name) };
  }
  if (text.includes('.COM')) text = text.replace(/\.COM\b/g, '');
  // Money, phones, dates, card tails and `#12` all have digits.
  if (hasDigit(text)) {
    text = text
      .replace(/#\s?(\d+)/g, ' #$1 ')
      .replace(moneyPattern, ' ')
      .replace(phonePattern, ` ${marker} `)
      .replace(datePattern, ` ${marker} `)
      .replace(cardTailPattern, ` ${marker} `);
  }
  text = text.replace(refPattern, ` ${marker} `).replace(/\*/g, ' ').replace(/\s+/g, ' ').trim();

  let tokens = text.split(' ').filter((t) => t.length > 0);
  // Leading ids and dates come from the bank, not the merchant (`1223 04/12/24 87654321 KROGER`).
  while (tokens.length > 1 && (tokens[0] === marker || /^\d{3,}$/.test(tokens[0]!))) tokens.shift();
  // Everything after the first store number is location and ids: `TARGET 00012345 SAN JOSE CA`.
  const cut = tokens.findIndex((token, i) => i > 0 && isStoreNumber(token));
  if (cut > 0) tokens = tokens.slice(0, cut);
  tokens = dropTrailingLocation(tokens);
  while (tokens.length > 1 && (trailingNoise.has(tokens.at(-1)!) || /^[-#/:.,&]+$/.test(tokens.at(-1)!))) {
    tokens.pop();
  }
  if (tokens[0] === marker) tokens = [];
  const cleaned = tokens.join(' ').replace(/[\s\-,.#:]+$/, '');
  const name = titleCase(cleaned);
  return { name, key: merchantKey(cleaned) };
}
