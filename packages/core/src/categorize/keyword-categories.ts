import type { DefaultCategoryId } from '../schemas/category.js';

type Sign = 'in' | 'out' | 'any';

// The obvious words of descriptors, tried in order: transfers and income first, since their
// words (`PAYROLL`, `TRANSFER`) say more than a merchant-type word next to them.
const keywordTable: readonly [RegExp, DefaultCategoryId, Sign][] = [
  [/\b(?:PAYROLL|DIRECT DEP|DIR DEP|DIRECTDEP|SALARY|PAYCHECK|WAGES)\b/, 'income', 'in'],
  [
    /\b(?:INTEREST (?:PAID|EARNED|PAYMENT|CREDIT)|INT EARNED|DIVIDEND|CASHBACK|CASH BACK REWARD|TAX REFUND|TREAS 310)\b/,
    'income',
    'in',
  ],
  [
    /\b(?:TRANSFER|XFER|TRNSFR|WIRE|ZELLE|VENMO|CASH APP|P2P|ATM|WITHDRAWAL|WITHDRAW|SAVINGS|BROKERAGE|INVESTMENT)\b/,
    'transfer',
    'any',
  ],
  [
    /\b(?:PAYMENT THANK YOU|AUTOPAY|AUTO PAY|CRD PMT|CARD PAYMENT|CREDIT CARD|CC PAYMENT|EPAY|ONLINE PMT|LOAN PMT)\b/,
    'transfer',
    'any',
  ],
  [/\b(?:DEPOSIT|MOBILE DEP|REMOTE DEP)\b/, 'income', 'in'],
  [
    /\b(?:FEE|OVERDRAFT|NSF|SERVICE CHARGE|FINANCE CHARGE|INTEREST CHARGE|LATE CHARGE)\b/,
    'bills_and_utilities',
    'out',
  ],
  [
    /\b(?:RENT|MORTGAGE|HOA|APARTMENTS?|PROPERTY MGMT|PROPERTIES|LEASING|ELECTRIC|POWER|ENERGY|GAS CO|WATER|SEWER|UTILIT\w*|TRASH|WASTE|INTERNET|CABLE|WIRELESS|TELECOM|BROADBAND|FIBER|INSURANCE|INS PREM|TAX|DMV)\b/,
    'bills_and_utilities',
    'any',
  ],
  [
    /\b(?:PHARMACY|PHARM|RX|MEDICAL|MED CTR|DENTAL|DENTIST|DDS|DMD|ORTHO\w*|CLINIC|HOSPITAL|HEALTH|URGENT CARE|PEDIATRIC\w*|OPTOMETR\w*|VISION|EYE CARE|CHIROPRACT\w*|PHYSICAL THERAPY|DERMATOLOGY|LAB|LABS|VET|VETERINARY|ANIMAL HOSP\w*|PET HOSP\w*|MD|PHYSICIANS?|THERAPY|COUNSELING)\b/,
    'healthcare',
    'any',
  ],
  [
    /\b(?:AIRLINES?|AIRWAYS|AIR LINES|AIRPORT|HOTEL|HOTELS|INN|SUITES|RESORT|MOTEL|LODGE|HOSTEL|CRUISE|RENT A CAR|CAR RENTAL|TRAVEL)\b/,
    'travel',
    'any',
  ],
  [
    /\b(?:FUEL|GAS STATION|GASOLINE|PETRO\w*|OIL|PARKING|GARAGE|TOLL|TOLLS|TRANSIT|METRO|RAIL|TRAIN|TROLLEY|FERRY|BUS|TAXI|CAB|RIDE|AUTO|AUTOMOTIVE|TIRE|TIRES|CAR WASH|CARWASH|SMOG|LUBE|COLLISION|MOTORS|TOWING)\b/,
    'transportation',
    'out',
  ],
  [
    /\b(?:SALON|BARBER\w*|HAIR|NAILS?|SPA|BEAUTY|COSMETICS|WAX|MASSAGE|LASH|BROW|FITNESS|GYM|YOGA|PILATES|CROSSFIT|BARRE|CLEANERS|DRY CLEAN\w*|LAUNDRY|LAUNDROMAT|TAILOR)\b/,
    'personal_care',
    'any',
  ],
  [
    /\b(?:UNIVERSITY|UNIV|COLLEGE|SCHOOL|TUITION|ACADEMY|LEARNING|EDUCATION|TUTOR\w*|STUDENT|COURSE|COURSES|TEXTBOOK\w*|LESSONS)\b/,
    'education',
    'any',
  ],
  [
    /\b(?:CINEMA|CINEMAS|THEATER|THEATRE|THEATRES|MOVIES?|TICKETS?|CONCERT|BOWLING|MUSEUM|ZOO|AQUARIUM|GOLF|ARCADE|GAMES|GAMING|STREAMING|MUSIC|KARAOKE|CASINO|LOTTERY|SPORTS?BOOK|STADIUM|ARENA)\b/,
    'entertainment',
    'any',
  ],
  [
    /\b(?:RESTAURANT|REST|CAFE|COFFEE|ESPRESSO|TEA|BOBA|PIZZA|PIZZERIA|GRILL|BURGER\w*|SUSHI|RAMEN|PHO|TACO\w*|TAQUERIA|BURRITO|BAKERY|BAGEL\w*|DONUTS?|DELI|KITCHEN|BISTRO|TAVERN|PUB|BAR|BREW\w*|BREWERY|WINERY|DINER|EATERY|CANTINA|CHICKEN|WINGS|BBQ|BARBECUE|STEAK|STEAKHOUSE|NOODLE\w*|THAI|INDIAN CUISINE|CUISINE|FOOD|FOODS|GROCERY|GROCERIES|MARKET|SUPERMARKET|MKT|FARMERS|CREAMERY|ICE CREAM|GELATO|JUICE|SMOOTHIE|LIQUOR|WINE|SPIRITS|CATERING)\b/,
    'food_and_dining',
    'any',
  ],
  [
    /\b(?:STORE|STORES|SHOP|SHOPS|OUTLET|BOUTIQUE|MALL|MART|HARDWARE|FURNITURE|ELECTRONICS|APPAREL|CLOTHING|SHOES|JEWEL\w*|BOOKS|BOOKSTORE|GIFTS?|FLORIST|FLOWERS|TOYS|DEPOT|SUPPLY|SUPPLIES|HOME DECOR|PET|PETS)\b/,
    'shopping',
    'any',
  ],
];

export interface KeywordMatch {
  categoryId: DefaultCategoryId;
  /** The matched word, for the explanation. */
  word: string;
}

/** The first keyword rule the upper-cased descriptor satisfies for the amount's sign. */
export function matchKeywords(description: string, amount: number): KeywordMatch | null {
  const text = description.toUpperCase();
  for (const [pattern, categoryId, sign] of keywordTable) {
    if (sign === 'in' && amount <= 0) continue;
    if (sign === 'out' && amount >= 0) continue;
    const match = pattern.exec(text);
    if (match) return { categoryId, word: match[0] };
  }
  return null;
}
