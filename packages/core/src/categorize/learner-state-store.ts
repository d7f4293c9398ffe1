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
  /**
   * The neighbour model's corrections: the descriptor and amount (its n-gram features are
   * recomputed on load, a tenth of the size) or, for examples from older snapshots, the
   * features; and the embedding (`encodeVector`).
   */
  neighbours?: {
    description?: string;
    amount?: number;
    features?: number[];
    vector: string | null;
    categoryId: string;
  }[];
}

/** A user's saved learned state and the version it was saved as. */
export interface VersionedSnapshot {
  snapshot: LearnerSnapshot;
  version: number;
}

/**
 * Where the learner keeps each user's state, versioned: a process that caches the state compares
 * versions to notice another process's corrections, and saves compare-and-set so two processes
 * learning at once never lose a correction.
 */
export interface LearnerStateStore {
  /** Null for a user who never corrected anything. */
  load(userId: string): Promise<VersionedSnapshot | null>;
  /** The saved state's version, 0 when there is none. Cheap: asked once per categorize call. */
  version(userId: string): Promise<number>;
  /** Saves if the state is still at `expectedVersion`; the new version, or null if it moved. */
  save(userId: string, snapshot: LearnerSnapshot, expectedVersion: number): Promise<number | null>;
}

export function createMemoryLearnerStateStore(): LearnerStateStore {
  const byUser = new Map<string, { json: string; version: number }>();
  return {
    async load(userId) {
      const found = byUser.get(userId);
      return found ? { snapshot: JSON.parse(found.json) as LearnerSnapshot, version: found.version } : null;
    },
    version: async (userId) => byUser.get(userId)?.version ?? 0,
    async save(userId, snapshot, expectedVersion) {
      const current = byUser.get(userId)?.version ?? 0;
      if (current !== expectedVersion) return null;
      // Stored as JSON so the memory store behaves as a persisted one: no shared references.
      byUser.set(userId, { json: JSON.stringify(snapshot), version: current + 1 });
      return current + 1;
    },
  };
}
