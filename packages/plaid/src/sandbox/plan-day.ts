import { dayOfMonth, dayOfWeek, isLastDayOfMonth } from './calendar-date.js';
import type { Prng } from './create-prng.js';
import { type AccountKey, type PfcCategory, pfcV2 } from './sandbox-catalog.js';

/** One transaction the simulated user makes on a day, before the bank posts it. */
export interface PlannedTransaction {
  account: AccountKey;
  /** Plaid's sign: positive is money out of the account. Integer minor units. */
  amount: number;
  name: string;
  merchantName: string | null;
  category: PfcCategory;
  channel: 'online' | 'in store' | 'other';
  /** 0 posts at once (ACH); otherwise it shows as pending for this many days first. */
  postDelay: number;
  /** Added when it posts (a restaurant tip). */
  postAdjustment: number;
  /** The merchant name a later enrichment fills in when `merchantName` starts null. */
  enrichedMerchantName: string | null;
}

const plan = (
  p: Partial<PlannedTransaction> & Pick<PlannedTransaction, 'account' | 'amount' | 'name' | 'category'>,
): PlannedTransaction => ({
  merchantName: null,
  channel: 'in store',
  postDelay: 0,
  postAdjustment: 0,
  enrichedMerchantName: null,
  ...p,
});

const groceries = [
  ["TRADER JOE'S #236 OAKLAND CA", "Trader Joe's"],
  ['SAFEWAY #1234 OAKLAND CA', 'Safeway'],
  ['WHOLEFDS OAK 10234', 'Whole Foods Market'],
] as const;

const restaurants = [
  { name: 'NOPA SAN FRANCISCO CA', merchant: 'Nopa', tip: true, category: pfcV2.restaurant },
  {
    name: 'ZACHARYS CHICAGO PIZZA OAKLAND',
    merchant: "Zachary's Chicago Pizza",
    tip: true,
    category: pfcV2.restaurant,
  },
  { name: 'CHIPOTLE 1234 OAKLAND CA', merchant: 'Chipotle', tip: false, category: pfcV2.fastFood },
] as const;

const weekdays = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;

/**
 * What the simulated household spends and earns on `date`. `cardBalance` is what the card owes
 * (posted), so the monthly payment clears it like a real autopay.
 */
export function planDay(date: string, rng: Prng, cardBalance: number): PlannedTransaction[] {
  const out: PlannedTransaction[] = [];
  const dom = dayOfMonth(date);
  const dow = dayOfWeek(date);
  const weekend = dow === 0 || dow === 6;

  if (dom === 15 || isLastDayOfMonth(date)) {
    out.push(
      plan({
        account: 'checking',
        amount: -312_450,
        name: 'GUSTO PAY 123456',
        merchantName: 'Gusto',
        category: pfcV2.salary,
        channel: 'other',
      }),
    );
  }
  if (dom === 1) {
    out.push(
      plan({
        account: 'checking',
        amount: 240_000,
        name: 'OAKWOOD APTS RENT WEB PMT',
        category: pfcV2.rent,
        channel: 'other',
      }),
    );
  }
  if (dom === 2) {
    out.push(
      plan({
        account: 'checking',
        amount: 50_000,
        name: 'ONLINE TRANSFER TO SAV XXXXXX1111',
        category: pfcV2.transferOutSavings,
        channel: 'other',
      }),
    );
    out.push(
      plan({
        account: 'savings',
        amount: -50_000,
        name: 'ONLINE TRANSFER FROM CHK XXXXXX0000',
        category: pfcV2.transferInSavings,
        channel: 'other',
      }),
    );
  }
  if (isLastDayOfMonth(date)) {
    out.push(
      plan({
        account: 'savings',
        amount: -rng.int(800, 1500),
        name: 'INTEREST PAYMENT',
        category: pfcV2.interest,
        channel: 'other',
      }),
    );
  }
  if (dom === 18) {
    out.push(
      plan({
        account: 'checking',
        amount: rng.int(6000, 18000),
        name: 'PG&E WEB ONLINE',
        merchantName: 'PG&E',
        category: pfcV2.gasAndElectricity,
        channel: 'online',
      }),
    );
  }
  if (dom === 22) {
    out.push(
      plan({
        account: 'checking',
        amount: 7999,
        name: 'COMCAST CABLE COMM 800-266-2278',
        merchantName: 'Comcast',
        category: pfcV2.internet,
        channel: 'online',
      }),
    );
  }
  if (dom === 25 && cardBalance > 0) {
    out.push(
      plan({
        account: 'checking',
        amount: cardBalance,
        name: 'PAYMENT TO PLAID CREDIT CARD XXXX3333',
        category: pfcV2.creditCardPayment,
        channel: 'other',
      }),
    );
    out.push(
      plan({
        account: 'credit',
        amount: -cardBalance,
        name: 'PAYMENT - THANK YOU',
        category: pfcV2.creditCardPayment,
        channel: 'other',
      }),
    );
  }
  if (dom === 7) {
    out.push(
      plan({
        account: 'credit',
        amount: 1549,
        name: 'NETFLIX.COM',
        merchantName: 'Netflix',
        category: pfcV2.tvAndMovies,
        channel: 'online',
        postDelay: 1,
      }),
    );
  }
  if (dom === 12) {
    out.push(
      plan({
        account: 'credit',
        amount: 1099,
        name: 'SPOTIFY USA',
        merchantName: 'Spotify',
        category: pfcV2.musicAndAudio,
        channel: 'online',
        postDelay: 1,
      }),
    );
  }
  if (rng.chance(weekend ? 0.3 : 0.6)) {
    const [name, merchantName] = weekend
      ? ['STARBUCKS STORE 05521', 'Starbucks']
      : ['SQ *BLUE BOTTLE COFFEE OAKLAND CA', 'Blue Bottle Coffee'];
    out.push(
      plan({
        account: 'credit',
        amount: rng.int(425, 750),
        name,
        merchantName,
        category: pfcV2.coffee,
        postDelay: rng.int(1, 2),
      }),
    );
  }
  if (rng.chance(0.15)) {
    const name = `AMZN Mktp US*2K4${rng.id(5, 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789')}`;
    out.push(
      plan({
        account: 'credit',
        amount: rng.int(899, 14999),
        name,
        merchantName: 'Amazon',
        category: pfcV2.onlineMarketplaces,
        channel: 'online',
        postDelay: rng.int(1, 3),
      }),
    );
  }
  if ((dow === 0 || dow === 3) && rng.chance(0.9)) {
    const [name, merchantName] = rng.pick(groceries);
    out.push(
      plan({
        account: 'credit',
        amount: rng.int(3000, 18000),
        name,
        merchantName,
        category: pfcV2.groceries,
        postDelay: rng.int(1, 2),
      }),
    );
  }
  if (rng.chance(0.12)) {
    const uber = rng.chance(0.6);
    const name = uber ? 'UBER *TRIP HELP.UBER.COM' : `LYFT *RIDE ${weekdays[dow]} ${rng.int(1, 11)}PM`;
    out.push(
      plan({
        account: 'credit',
        amount: rng.int(800, 4500),
        name,
        merchantName: uber ? 'Uber' : 'Lyft',
        category: pfcV2.rideShare,
        channel: 'online',
        postDelay: rng.int(1, 2),
      }),
    );
  }
  if (rng.chance(dow === 5 || dow === 6 ? 0.7 : 0.1)) {
    const r = rng.pick(restaurants);
    const amount = rng.int(2500, 9000);
    // Tips appear only when the charge posts, as with real card authorizations.
    const postAdjustment = r.tip ? Math.round((amount * rng.int(15, 22)) / 100) : 0;
    out.push(
      plan({
        account: 'credit',
        amount,
        name: r.name,
        category: r.category,
        postDelay: rng.int(2, 3),
        postAdjustment,
        enrichedMerchantName: r.merchant,
      }),
    );
  }
  return out;
}
