import { createNeighbourIndex, type NeighbourGuess } from './create-neighbour-index.js';
import { decodeVector, encodeVector } from './encode-vector.js';
import type { LearnerSnapshot, MerchantMemory } from './learner-state-store.js';
import { normalizeMerchant } from './normalize-merchant.js';
import { textFeatures } from './text-features.js';

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

/**
 * Which model of the user's corrections decides for merchants they never corrected: the linear
 * model over n-grams and amount, nearest neighbours (by embedding when there is an embedder, by
 * n-grams otherwise), or the average of both.
 */
export type LearnedModelKind = 'linear' | 'neighbours' | 'blend';

/** One user's learned state, updated in place per correction. */
export interface UserLearner {
  readonly corrections: number;
  learn(input: {
    key: string;
    name: string;
    amount: number;
    /** The whole descriptor, kept with the neighbour model's example. */
    description: string;
    features: Uint32Array;
    /** The embedding of the corrected text, for the neighbour model; null without an embedder. */
    vector: Float32Array | null;
    categoryId: string;
  }): void;
  /** What the user chose for this merchant before; the same sign of amount is preferred. */
  merchant(key: string, amount: number): MerchantGuess | null;
  merchantMemory(key: string): MerchantMemory | null;
  /** Every merchant memory by key (sign-specific ones keyed `key|in` / `key|out`), live: do not change. */
  merchantMemories(): IterableIterator<[string, MerchantMemory]>;
  /** The model's category, or null before it has seen two categories. */
  model(features: Uint32Array, vector: Float32Array | null, kind: LearnedModelKind): ModelGuess | null;
  /** True when the neighbour model holds embeddings (and so wants the query's). */
  readonly hasVectors: boolean;
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
  /**
   * The embedder whose vectors the neighbour model keeps (`Embedder.id`). Vectors saved under
   * another id are dropped on load: those examples fall back to n-gram similarity.
   */
  vectorModel?: string | null;
  /** Corrections the neighbour model keeps. Default 2000. */
  maxNeighbours?: number;
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
  const vectorModel = options.vectorModel ?? null;
  const neighbours = createNeighbourIndex({ maxExamples: options.maxNeighbours ?? 2000 });
  const sameModel = snapshot?.vectorModel === vectorModel && vectorModel !== null;
  // Each vector's saved text: every save writes every example, and an example's vector never
  // changes, so each is encoded once (those loaded keep the text they were loaded from).
  const encoded = new WeakMap<Float32Array, string>();
  const encodedOf = (vector: Float32Array): string => {
    let text = encoded.get(vector);
    if (text === undefined) {
      text = encodeVector(vector);
      encoded.set(vector, text);
    }
    return text;
  };
  // Snapshots from before the neighbour model hold only the recent examples' features.
  const saved: NonNullable<LearnerSnapshot['neighbours']> =
    snapshot?.neighbours ?? snapshot?.recent.map((r) => ({ ...r, vector: null })) ?? [];
  for (const n of saved) {
    const vector = sameModel && n.vector ? decodeVector(n.vector) : null;
    if (vector) encoded.set(vector, n.vector!);
    const { description, amount } = n;
    const source = description !== undefined && amount !== undefined ? { description, amount } : undefined;
    const features = source
      ? textFeatures(normalizeMerchant(source.description).key, source.description, source.amount)
      : Uint32Array.from(n.features ?? []);
    neighbours.add({ features, vector, categoryId: n.categoryId, ...(source ? { source } : {}) });
  }

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

  /** The linear model's class probabilities: a softmax over the class scores. */
  function linear(features: Uint32Array): Map<string, number> {
    const scores = new Map<string, number>();
    let max = Number.NEGATIVE_INFINITY;
    for (const id of weights.keys()) {
      const s = score(id, features);
      scores.set(id, s);
      if (s > max) max = s;
    }
    // Margins of PA are about 1 between a right and a wrong class; scaled so such a margin
    // reads as a clear preference.
    const temperature = 3;
    let sum = 0;
    for (const [id, s] of scores) {
      const e = Math.exp((s - max) * temperature);
      scores.set(id, e);
      sum += e;
    }
    for (const [id, e] of scores) scores.set(id, e / sum);
    return scores;
  }

  /** Half each: the neighbours' share counts only as much as the closest neighbour is close. */
  function blend(probabilities: Map<string, number>, near: NeighbourGuess | null): Map<string, number> {
    if (!near) return probabilities;
    const closeness = near.confidence / (near.shares.get(near.categoryId) ?? 1);
    const out = new Map<string, number>();
    for (const [id, p] of probabilities) out.set(id, p / 2);
    for (const [id, share] of near.shares) out.set(id, (out.get(id) ?? 0) + (share * closeness) / 2);
    return out;
  }

  function best(probabilities: Map<string, number>): ModelGuess | null {
    let top: ModelGuess | null = null;
    for (const [categoryId, confidence] of probabilities) {
      if (top === null || confidence > top.confidence) top = { categoryId, confidence };
    }
    return top;
  }

  return {
    get corrections() {
      return corrections;
    },
    learn({ key, name, amount, description, features, vector, categoryId }) {
      corrections += 1;
      neighbours.add({ features, vector, categoryId, source: { description, amount } });
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
    merchantMemories: () => merchants.entries(),
    get hasVectors() {
      // Asked once per categorize call; counted from the examples kept, as the oldest are dropped.
      return neighbours.examples().some((example) => example.vector !== null);
    },
    model(features, vector, kind) {
      if (weights.size < 2) return null;
      if (kind === 'linear') return best(linear(features));
      const near = neighbours.predict(features, vector);
      if (kind === 'neighbours')
        return near ? { categoryId: near.categoryId, confidence: near.confidence } : null;
      return best(blend(linear(features), near));
    },
    snapshot() {
      const out: LearnerSnapshot = {
        version: 1,
        corrections,
        merchants: {},
        weights: {},
        recent: [],
        vectorModel,
        neighbours: neighbours.examples().map((n) => ({
          ...(n.source
            ? { description: n.source.description, amount: n.source.amount }
            : { features: [...n.features] }),
          vector: n.vector ? encodedOf(n.vector) : null,
          categoryId: n.categoryId,
        })),
      };
      for (const [key, memory] of merchants) out.merchants[key] = structuredClone(memory);
      for (const [id, w] of weights) out.weights[id] = [...w].filter(([, v]) => v !== 0);
      out.recent = recent.map((r) => ({ features: [...r.features], categoryId: r.categoryId }));
      return out;
    },
  };
}
