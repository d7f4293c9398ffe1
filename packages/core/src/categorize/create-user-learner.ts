import type { LearnerSnapshot, MerchantMemory } from './learner-state-store.js';

/** A correction's category from the merchant memory. */
export interface MerchantGuess {
  categoryId: string;
  /** Share of the recency-weighted votes, 0..1. */
  confidence: number;
  /** Corrections of this merchant to this category. */
  count: number;
  name: string;
}

export interface ModelGuess {
  categoryId: string;
  confidence: number;
}

/** One user's learned state, updated in place per correction. */
export interface UserLearner {
  readonly corrections: number;
  learn(input: {
    key: string;
    name: string;
    amount: number;
    features: Uint32Array;
    categoryId: string;
  }): void;
  /** What the user chose for this merchant before; the same sign of amount is preferred. */
  merchant(key: string, amount: number): MerchantGuess | null;
  merchantMemory(key: string): MerchantMemory | null;
  /** The linear model's category, or null before it has seen two categories. */
  model(features: Uint32Array): ModelGuess | null;
  snapshot(): LearnerSnapshot;
}

export interface UserLearnerOptions {
  /** Each older correction of a merchant weighs this much less than the next. Default 0.7. */
  decay?: number;
  /** Passive-aggressive aggressiveness C. Default 1. */
  aggressiveness?: number;
  /** Recent examples kept and replayed per update. Default 200 kept, 8 replayed. */
  keepRecent?: number;
  replay?: number;
}

const signOf = (amount: number): string => (amount < 0 ? 'out' : 'in');

/**
 * Creates a user's learner: an exact memory of corrected merchants, and a multiclass
 * passive-aggressive (PA-II) linear classifier over hashed character n-grams and amount buckets.
 * Each correction is one update (plus a few replayed recent ones so it does not erase them):
 * no retraining. Confidence is a softmax over the class scores.
 */
export function createUserLearner(
  snapshot: LearnerSnapshot | null,
  options: UserLearnerOptions = {},
): UserLearner {
  const decay = options.decay ?? 0.7;
  const aggressiveness = options.aggressiveness ?? 1;
  const keepRecent = options.keepRecent ?? 200;
  const replay = options.replay ?? 8;

  let corrections = snapshot?.corrections ?? 0;
  const merchants = new Map<string, MerchantMemory>(Object.entries(snapshot?.merchants ?? {}));
  const weights = new Map<string, Map<number, number>>();
  for (const [categoryId, pairs] of Object.entries(snapshot?.weights ?? {})) {
    weights.set(categoryId, new Map(pairs));
  }
  const recent: { features: Uint32Array; categoryId: string }[] = (snapshot?.recent ?? []).map((r) => ({
    features: Uint32Array.from(r.features),
    categoryId: r.categoryId,
  }));
  let replayAt = 0;

  function score(categoryId: string, features: Uint32Array): number {
    const w = weights.get(categoryId);
    if (!w) return 0;
    let sum = 0;
    for (const f of features) sum += w.get(f) ?? 0;
    return sum;
  }

  function add(categoryId: string, features: Uint32Array, delta: number): void {
    let w = weights.get(categoryId);
    if (!w) {
      w = new Map();
      weights.set(categoryId, w);
    }
    for (const f of features) w.set(f, (w.get(f) ?? 0) + delta);
  }

  function update(features: Uint32Array, categoryId: string): void {
    if (!weights.has(categoryId)) weights.set(categoryId, new Map());
    const own = score(categoryId, features);
    let rival: string | null = null;
    let rivalScore = Number.NEGATIVE_INFINITY;
    for (const other of weights.keys()) {
      if (other === categoryId) continue;
      const s = score(other, features);
      if (s > rivalScore) {
        rivalScore = s;
        rival = other;
      }
    }
    if (rival === null) {
      // The only class so far: nothing to separate from, but learn what it looks like.
      add(categoryId, features, 1 / features.length);
      return;
    }
    const loss = Math.max(0, 1 - (own - rivalScore));
    if (loss === 0) return;
    // PA-II step: the smallest change that gives a margin of 1, softened by C.
    const tau = loss / (2 * features.length + 1 / (2 * aggressiveness));
    add(categoryId, features, tau);
    add(rival, features, -tau);
  }

  function remember(key: string, name: string, categoryId: string): void {
    const memory = merchants.get(key) ?? {
      name,
      weights: {},
      counts: {},
      streak: { categoryId, length: 0 },
    };
    for (const id of Object.keys(memory.weights)) memory.weights[id] = (memory.weights[id] ?? 0) * decay;
    memory.weights[categoryId] = (memory.weights[categoryId] ?? 0) + 1;
    memory.counts[categoryId] = (memory.counts[categoryId] ?? 0) + 1;
    memory.streak =
      memory.streak.categoryId === categoryId
        ? { categoryId, length: memory.streak.length + 1 }
        : { categoryId, length: 1 };
    memory.name = name;
    merchants.set(key, memory);
  }

  function guess(memory: MerchantMemory | undefined): MerchantGuess | null {
    if (!memory) return null;
    let best: string | null = null;
    let total = 0;
    for (const [id, w] of Object.entries(memory.weights)) {
      total += w;
      if (best === null || w > (memory.weights[best] ?? 0)) best = id;
    }
    if (best === null || total === 0) return null;
    return {
      categoryId: best,
      confidence: (memory.weights[best] ?? 0) / total,
      count: memory.counts[best] ?? 0,
      name: memory.name,
    };
  }

  return {
    get corrections() {
      return corrections;
    },
    learn({ key, name, amount, features, categoryId }) {
      corrections += 1;
      if (key.length > 0) {
        remember(key, name, categoryId);
        remember(`${key}|${signOf(amount)}`, name, categoryId);
      }
      update(features, categoryId);
      for (let i = 0; i < Math.min(replay, recent.length); i++) {
        replayAt = (replayAt + 1) % recent.length;
        const example = recent[replayAt]!;
        update(example.features, example.categoryId);
      }
      recent.push({ features, categoryId });
      if (recent.length > keepRecent) recent.shift();
    },
    merchant(key, amount) {
      if (key.length === 0) return null;
      return guess(merchants.get(`${key}|${signOf(amount)}`)) ?? guess(merchants.get(key));
    },
    merchantMemory: (key) => merchants.get(key) ?? null,
    model(features) {
      if (weights.size < 2) return null;
      const scores: [string, number][] = [];
      let max = Number.NEGATIVE_INFINITY;
      for (const id of weights.keys()) {
        const s = score(id, features);
        scores.push([id, s]);
        if (s > max) max = s;
      }
      // Margins of PA are about 1 between a right and a wrong class; scaled so such a margin
      // reads as a clear preference.
      const temperature = 3;
      let sum = 0;
      let best = scores[0]!;
      for (const entry of scores) {
        sum += Math.exp((entry[1] - max) * temperature);
        if (entry[1] > best[1]) best = entry;
      }
      return { categoryId: best[0], confidence: 1 / sum };
    },
    snapshot() {
      const out: LearnerSnapshot = { version: 1, corrections, merchants: {}, weights: {}, recent: [] };
      for (const [key, memory] of merchants) out.merchants[key] = structuredClone(memory);
      for (const [id, w] of weights) out.weights[id] = [...w].filter(([, v]) => v !== 0);
      out.recent = recent.map((r) => ({ features: [...r.features], categoryId: r.categoryId }));
      return out;
    },
  };
}
