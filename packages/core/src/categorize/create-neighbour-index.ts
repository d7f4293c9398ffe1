/** One corrected transaction the neighbour index votes with. */
export interface NeighbourExample {
  /** Hashed n-gram features (`textFeatures`), used when either side has no embedding. */
  features: Uint32Array;
  /** The embedding of the corrected text (unit length), or null without an embedder. */
  vector: Float32Array | null;
  categoryId: string;
  /** Where the features came from, kept to persist the example compactly; absent for old ones. */
  source?: { description: string; amount: number };
}

/** The neighbours' vote: a share per category, best first. */
export interface NeighbourGuess {
  categoryId: string;
  /** The best category's share of the similarity-weighted votes, times how close the closest is. */
  confidence: number;
  /** Each category's share of the votes (sums to 1). */
  shares: Map<string, number>;
  /** Similarity of the nearest example of the winning category, 0..1. */
  nearest: number;
}

export interface NeighbourIndex {
  readonly size: number;
  add(example: NeighbourExample): void;
  predict(features: Uint32Array, vector: Float32Array | null): NeighbourGuess | null;
  examples(): readonly NeighbourExample[];
}

export interface NeighbourIndexOptions {
  /** Neighbours that vote. Default 7. */
  k?: number;
  /** Oldest examples are dropped beyond this many. Default 2000. */
  maxExamples?: number;
  /**
   * Below `none` a neighbour is not "like" the query at all, and at `full` it is as good as the
   * same text: the winner's confidence scales between the two. Embeddings of unrelated texts
   * still score about 0.2, while n-gram sets of unrelated texts share almost nothing, hence one
   * scale each. Default `{ none: 0.2, full: 0.8 }` and `{ none: 0.05, full: 0.5 }`.
   */
  closeness?: { dense: { none: number; full: number }; sparse: { none: number; full: number } };
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

/**
 * Nearest neighbours over a user's corrections: cosine similarity of embeddings when both the
 * query and the example have one, otherwise cosine of the hashed n-gram sets (so the index works
 * with any embedder, or none). The k nearest vote, each with its similarity squared (a close
 * neighbour outweighs several distant ones). Adding an example is O(1); there is no training.
 */
export function createNeighbourIndex(options: NeighbourIndexOptions = {}): NeighbourIndex {
  const k = options.k ?? 7;
  const maxExamples = options.maxExamples ?? 2000;
  const closeness = options.closeness ?? {
    dense: { none: 0.2, full: 0.8 },
    sparse: { none: 0.05, full: 0.5 },
  };
  let examples: NeighbourExample[] = [];
  // Sparse similarity needs the overlap with every example: an inverted index visits only those
  // sharing a feature.
  let postings = new Map<number, number[]>();

  function index(example: NeighbourExample, at: number): void {
    for (const f of example.features) {
      const list = postings.get(f);
      if (list) list.push(at);
      else postings.set(f, [at]);
    }
  }

  function rebuild(): void {
    postings = new Map();
    for (const [i, e] of examples.entries()) index(e, i);
  }

  function similarities(
    features: Uint32Array,
    vector: Float32Array | null,
  ): { sims: Float64Array; dense: Uint8Array } {
    const sims = new Float64Array(examples.length);
    const dense = new Uint8Array(examples.length);
    const sparse: number[] = [];
    for (let i = 0; i < examples.length; i++) {
      const v = examples[i]!.vector;
      if (vector && v && v.length === vector.length) {
        sims[i] = dot(vector, v);
        dense[i] = 1;
      } else sparse.push(i);
    }
    if (sparse.length === 0) return { sims, dense };
    const overlap = new Float64Array(examples.length);
    for (const f of features) {
      const list = postings.get(f);
      if (!list) continue;
      for (const i of list) overlap[i]! += 1;
    }
    for (const i of sparse) {
      const size = examples[i]!.features.length;
      sims[i] = size === 0 || features.length === 0 ? 0 : overlap[i]! / Math.sqrt(size * features.length);
    }
    return { sims, dense };
  }

  return {
    get size() {
      return examples.length;
    },
    add(example) {
      examples.push(example);
      index(example, examples.length - 1);
      if (examples.length > maxExamples) {
        // Drop the oldest quarter at once so the postings are rebuilt rarely.
        examples = examples.slice(Math.floor(maxExamples / 4));
        rebuild();
      }
    },
    predict(features, vector) {
      if (examples.length === 0) return null;
      const { sims, dense } = similarities(features, vector);
      // Top k by a partial selection: k is small, the example list may be thousands.
      const top: number[] = [];
      for (let i = 0; i < sims.length; i++) {
        if (sims[i]! <= 0) continue;
        if (top.length < k) {
          top.push(i);
          top.sort((a, b) => sims[b]! - sims[a]!);
        } else if (sims[i]! > sims[top[k - 1]!]!) {
          top[k - 1] = i;
          top.sort((a, b) => sims[b]! - sims[a]!);
        }
      }
      if (top.length === 0) return null;
      const votes = new Map<string, number>();
      const nearestOf = new Map<string, number>();
      const denseOf = new Map<string, boolean>();
      let total = 0;
      for (const i of top) {
        const { categoryId } = examples[i]!;
        const w = sims[i]! * sims[i]!;
        votes.set(categoryId, (votes.get(categoryId) ?? 0) + w);
        if (!nearestOf.has(categoryId)) {
          nearestOf.set(categoryId, sims[i]!);
          denseOf.set(categoryId, dense[i] === 1);
        }
        total += w;
      }
      let best = '';
      let bestVotes = -1;
      const shares = new Map<string, number>();
      for (const [id, w] of votes) {
        shares.set(id, w / total);
        if (w > bestVotes) {
          best = id;
          bestVotes = w;
        }
      }
      const nearest = nearestOf.get(best) ?? 0;
      const scale = denseOf.get(best) ? closeness.dense : closeness.sparse;
      const close = Math.min(1, Math.max(0, (nearest - scale.none) / (scale.full - scale.none)));
      return { categoryId: best, confidence: (bestVotes / total) * close, shares, nearest };
    },
    examples: () => examples,
  };
}
