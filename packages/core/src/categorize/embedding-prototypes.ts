import type { Embedder } from '../ports/embedder.js';
import type { DefaultCategoryId } from '../schemas/category.js';

// What each category's transactions look like, in the words a descriptor or a person uses.
// Compared with the descriptor's embedding when rules, learning, the provider and the merchant
// table have nothing to say.
const prototypes: Record<Exclude<DefaultCategoryId, 'uncategorized'>, string[]> = {
  food_and_dining: [
    'restaurant, cafe, coffee shop, bakery, bar',
    'fast food, pizza, burgers, tacos, sushi, takeout',
    'grocery store, supermarket, food market, farmers market',
    'food delivery order',
    'thai, korean, ethiopian, mexican, italian, vietnamese, indian, chinese restaurant',
    'oyster bar, steakhouse, brunch spot, diner, noodle house, dumplings',
    'co-op grocery, produce market, butcher, fish market, natural foods store',
  ],
  shopping: [
    'online shopping, department store, retail purchase',
    'clothing, shoes, electronics, furniture, home goods',
    'hardware store, books, gifts, pet supplies',
    'antiques, vintage shop, crafts, fabric and yarn, art supplies, stationery',
    'toy store, garden center, nursery, kitchenware, ceramics',
  ],
  transportation: [
    'gas station, fuel, car charging',
    'taxi, rideshare, bus, subway, train fare, public transit',
    'parking garage, parking meter, tolls',
    'car repair, auto service, tires, car wash, car insurance',
  ],
  bills_and_utilities: [
    'electricity, gas utility, water bill, trash service',
    'internet, cable tv, phone bill, mobile carrier',
    'rent, mortgage, home insurance, property management',
    'software subscription, cloud storage, bank fee, taxes',
  ],
  entertainment: [
    'movies, cinema, concert tickets, theater, live events',
    'streaming service, music subscription, video games',
    'museum, amusement park, bowling, sports event',
    'ballet, opera, symphony, jazz club, comedy club, dance performance',
    'festival, fair, pumpkin patch, zoo, aquarium, science center',
  ],
  healthcare: [
    'doctor, hospital, clinic, urgent care',
    'pharmacy, prescription, dentist, eye care, optometrist',
    'health insurance, lab tests, therapy, veterinarian',
  ],
  travel: [
    'airline flight tickets',
    'hotel, motel, vacation rental, lodging',
    'car rental, cruise, travel agency',
    'resort, bed and breakfast, hostel, airport lounge',
  ],
  personal_care: [
    'hair salon, barber, nail salon, spa, massage',
    'gym membership, fitness class, yoga studio',
    'cosmetics, beauty products, dry cleaning, laundry',
    'tailor, alterations, shoe repair, hot tubs, sauna, tanning',
  ],
  education: [
    'tuition, university, college, school fees',
    'online course, tutoring, textbooks, student loan',
    'music lessons, summer camp, language class, daycare, preschool',
  ],
  income: [
    'salary, payroll direct deposit, paycheck',
    'interest earned, dividends, tax refund, reimbursement',
  ],
  transfer: [
    'transfer between accounts, savings transfer, wire',
    'credit card payment, loan payment',
    'payment app transfer to a friend, atm cash withdrawal',
  ],
};

export interface PrototypeMatch {
  categoryId: DefaultCategoryId;
  score: number;
}

export interface PrototypeIndex {
  nearest(vector: Float32Array): PrototypeMatch | null;
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

const built = new WeakMap<Embedder, Promise<PrototypeIndex>>();

/** The embedded prototypes of an embedder, built once per embedder (vectors are unit length). */
export function prototypeIndex(embedder: Embedder): Promise<PrototypeIndex> {
  let index = built.get(embedder);
  if (!index) {
    index = buildIndex(embedder);
    built.set(embedder, index);
    // A failed build must not stick: the next call tries again.
    index.catch(() => built.delete(embedder));
  }
  return index;
}

async function buildIndex(embedder: Embedder): Promise<PrototypeIndex> {
  const entries = Object.entries(prototypes) as [PrototypeMatch['categoryId'], string[]][];
  const texts = entries.flatMap(([, list]) => list);
  const owners = entries.flatMap(([id, list]) => list.map(() => id));
  const vectors = await embedder.embed(texts);
  return {
    nearest(vector) {
      let best: PrototypeMatch | null = null;
      for (let i = 0; i < vectors.length; i++) {
        const score = dot(vector, vectors[i]!);
        if (best === null || score > best.score) best = { categoryId: owners[i]!, score };
      }
      return best;
    },
  };
}
