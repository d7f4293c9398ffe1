/** Plaid's own sandbox institutions, so ids copied from Plaid's docs work here too. */
export const sandboxInstitutions = [
  { institutionId: 'ins_109508', name: 'First Platypus Bank' },
  { institutionId: 'ins_109509', name: 'First Gingham Credit Union' },
  { institutionId: 'ins_109510', name: 'Tattersall Federal Credit Union' },
  { institutionId: 'ins_109511', name: 'Tartan Bank' },
  { institutionId: 'ins_109512', name: 'Houndstooth Bank' },
] as const;

/** Plaid's sandbox test credentials. */
export const sandboxCredentials = { username: 'user_good', password: 'pass_good' } as const;

export interface PfcCategory {
  primary: string;
  detailed: string;
}

const pfc = (primary: string, detailed: string): PfcCategory => ({ primary, detailed });

/** The Plaid PFC v2 categories the generated history uses (copied from Plaid's taxonomy). */
export const pfcV2 = {
  coffee: pfc('FOOD_AND_DRINK', 'FOOD_AND_DRINK_COFFEE'),
  groceries: pfc('FOOD_AND_DRINK', 'FOOD_AND_DRINK_GROCERIES'),
  restaurant: pfc('FOOD_AND_DRINK', 'FOOD_AND_DRINK_RESTAURANT'),
  fastFood: pfc('FOOD_AND_DRINK', 'FOOD_AND_DRINK_FAST_FOOD'),
  onlineMarketplaces: pfc('GENERAL_MERCHANDISE', 'GENERAL_MERCHANDISE_ONLINE_MARKETPLACES'),
  salary: pfc('INCOME', 'INCOME_SALARY'),
  interest: pfc('INCOME', 'INCOME_INTEREST_EARNED'),
  rent: pfc('RENT_AND_UTILITIES', 'RENT_AND_UTILITIES_RENT'),
  gasAndElectricity: pfc('RENT_AND_UTILITIES', 'RENT_AND_UTILITIES_GAS_AND_ELECTRICITY'),
  internet: pfc('RENT_AND_UTILITIES', 'RENT_AND_UTILITIES_INTERNET_AND_CABLE'),
  tvAndMovies: pfc('ENTERTAINMENT', 'ENTERTAINMENT_TV_AND_MOVIES'),
  musicAndAudio: pfc('ENTERTAINMENT', 'ENTERTAINMENT_MUSIC_AND_AUDIO'),
  rideShare: pfc('TRANSPORTATION', 'TRANSPORTATION_TAXIS_AND_RIDE_SHARES'),
  creditCardPayment: pfc('LOAN_PAYMENTS', 'LOAN_PAYMENTS_CREDIT_CARD_PAYMENT'),
  transferOutSavings: pfc('TRANSFER_OUT', 'TRANSFER_OUT_SAVINGS'),
  transferInSavings: pfc('TRANSFER_IN', 'TRANSFER_IN_SAVINGS'),
} as const;

export type AccountKey = 'checking' | 'savings' | 'credit';

export interface AccountTemplate {
  key: AccountKey;
  name: string;
  officialName: string;
  type: 'depository' | 'credit';
  subtype: string;
  mask: string;
  /** Balance at the first day of generated history, minor units (owed, for credit). */
  openingBalance: number;
  limit: number | null;
}

/** Named like Plaid's sandbox accounts. */
export const accountTemplates: readonly AccountTemplate[] = [
  {
    key: 'checking',
    name: 'Plaid Checking',
    officialName: 'Plaid Gold Standard 0% Interest Checking',
    type: 'depository',
    subtype: 'checking',
    mask: '0000',
    openingBalance: 420_000,
    limit: null,
  },
  {
    key: 'savings',
    name: 'Plaid Saving',
    officialName: 'Plaid Silver Standard 0.1% Interest Saving',
    type: 'depository',
    subtype: 'savings',
    mask: '1111',
    openingBalance: 1_500_000,
    limit: null,
  },
  {
    key: 'credit',
    name: 'Plaid Credit Card',
    officialName: 'Plaid Diamond 12.5% APR Interest Credit Card',
    type: 'credit',
    subtype: 'credit card',
    mask: '3333',
    openingBalance: 0,
    limit: 1_000_000,
  },
];
