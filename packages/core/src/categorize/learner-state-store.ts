/** One merchant's corrections: which categories the user chose for it, newest weighing most. */
export interface MerchantMemory {
  name: string;
  /** Recency-weighted votes per category id. */
  weights: Record<string, number>;
  /** Corrections per category id. */
  counts: Record<string, number>;
  /** The latest category and how many corrections in a row chose it. */
  streak: { categoryId: string; length: number };
}

/** A user's learned state as plain JSON-safe data, to persist and load. */
export interface LearnerSnapshot {
  version: 1;
  corrections: number;
  /** By merchant key; sign-specific entries are keyed `key|in` / `key|out`. */
  merchants: Record<string, MerchantMemory>;
  /** Linear model: per category id, [featureId, weight] pairs. */
  weights: Record<string, [number, number][]>;
  /** The latest examples, replayed on each update so one correction does not erase older ones. */
  recent: { features: number[]; categoryId: string }[];
  /** The embedder (`Embedder.id`) whose vectors `neighbours` holds; absent in older snapshots. */
  vectorModel?: string | null;
  /** The neighbour model's corrections: n-gram features and the embedding (`encodeVector`). */
  neighbours?: { features: number[]; vector: string | null; categoryId: string }[];
}

/**
 * Where the learner keeps each user's state. In memory by default; to persist it the Store needs
 * one small repository: `learnerState.get(userId): Promise<{ snapshot, version } | null>` and
 * `learnerState.put(userId, snapshot, expectedVersion)` (compare-and-set, so two processes that
 * learn at once do not lose a correction), stored as one JSON document per user.
 */
export interface LearnerStateStore {
  /** Null for a user who never corrected anything. */
  load(userId: string): Promise<LearnerSnapshot | null>;
  save(userId: string, snapshot: LearnerSnapshot): Promise<void>;
}

export function createMemoryLearnerStateStore(): LearnerStateStore {
  const byUser = new Map<string, string>();
  return {
    async load(userId) {
      const json = byUser.get(userId);
      return json === undefined ? null : (JSON.parse(json) as LearnerSnapshot);
    },
    async save(userId, snapshot) {
      // Stored as JSON so the memory store behaves as a persisted one: no shared references.
      byUser.set(userId, JSON.stringify(snapshot));
    },
  };
}
