import { type Embedder, FinkitError } from '@finkit/core';
import { normalizeEmbeddingText } from './normalize-embedding-text.js';

export interface CachedEmbedderOptions {
  /** Distinct normalized texts kept; the least recently used is dropped first. Default 10,000. */
  maxEntries?: number;
  /** Texts per call to the inner embedder. Default 64. */
  batchSize?: number;
}

/** An `Embedder` that remembers its vectors; `size` and `clear()` are for monitoring and tests. */
export interface CachedEmbedder extends Embedder {
  /** How many distinct normalized texts are cached now. */
  readonly size: number;
  clear(): void;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new FinkitError('VALIDATION', `${name} must be a positive integer, got ${value}`, {
      details: { [name]: value },
    });
  }
  return value;
}

/**
 * Embeds each distinct normalized text (trimmed, whitespace collapsed, lowercased) once: a bank
 * feed repeats the same few hundred merchants thousands of times. Misses go to `inner` in batches
 * of its normalized text, and concurrent calls asking for the same text share one inner call.
 * `id` and `dimensions` are the inner embedder's, so stored vectors stay comparable.
 */
export function createCachedEmbedder(inner: Embedder, options: CachedEmbedderOptions = {}): CachedEmbedder {
  const maxEntries = positiveInteger('maxEntries', options.maxEntries ?? 10_000);
  const batchSize = positiveInteger('batchSize', options.batchSize ?? 64);
  // A Map iterates in insertion order; re-inserting on every hit makes the first key the least
  // recently used one.
  const cache = new Map<string, Float32Array>();
  const inFlight = new Map<string, Promise<Float32Array>>();

  const remember = (key: string, vector: Float32Array): void => {
    cache.delete(key);
    cache.set(key, vector);
    while (cache.size > maxEntries) cache.delete(cache.keys().next().value as string);
  };

  const embedBatch = async (keys: string[]): Promise<Map<string, Float32Array>> => {
    const vectors = await inner.embed(keys);
    if (vectors.length !== keys.length) {
      throw new FinkitError(
        'INTERNAL',
        `Embedder ${inner.id} returned ${vectors.length} vectors for ${keys.length} texts`,
      );
    }
    const byKey = new Map<string, Float32Array>();
    keys.forEach((key, i) => {
      const vector = vectors[i]!;
      if (vector.length !== inner.dimensions) {
        throw new FinkitError(
          'INTERNAL',
          `Embedder ${inner.id} returned a ${vector.length}-d vector; it declares ${inner.dimensions}`,
        );
      }
      byKey.set(key, vector);
      remember(key, vector);
    });
    return byKey;
  };

  const lookup = (key: string): Float32Array | Promise<Float32Array> | undefined => {
    const hit = cache.get(key);
    if (hit !== undefined) {
      remember(key, hit);
      return hit;
    }
    return inFlight.get(key);
  };

  return {
    id: inner.id,
    dimensions: inner.dimensions,
    get size() {
      return cache.size;
    },
    clear() {
      cache.clear();
    },
    async embed(texts) {
      if (texts.length === 0) return [];
      const keys = texts.map(normalizeEmbeddingText);
      const pending = new Map<string, Float32Array | Promise<Float32Array>>();
      const missed = new Set<string>();
      for (const key of keys) {
        if (pending.has(key) || missed.has(key)) continue;
        const found = lookup(key);
        if (found === undefined) missed.add(key);
        else pending.set(key, found);
      }
      const misses = [...missed];

      // Batches run one after another so one large call does not hold every batch in memory at
      // once; a failed batch fails the ones queued behind it without calling the inner embedder.
      let previous: Promise<unknown> = Promise.resolve();
      for (let start = 0; start < misses.length; start += batchSize) {
        const batch = misses.slice(start, start + batchSize);
        const done = previous.then(() => embedBatch(batch));
        previous = done;
        const settle = (): void => {
          for (const key of batch) inFlight.delete(key);
        };
        done.then(settle, settle);
        for (const key of batch) {
          const vector = done.then((byKey) => byKey.get(key)!);
          // Marks the rejection handled for keys no other caller ends up awaiting.
          vector.catch(() => {});
          inFlight.set(key, vector);
          pending.set(key, vector);
        }
      }

      const vectors = new Map<string, Float32Array>();
      await Promise.all(
        [...pending].map(async ([key, vector]) => {
          vectors.set(key, await vector);
        }),
      );
      // Copies, so a caller that scales or fills its vector cannot change what others get.
      return keys.map((key) => vectors.get(key)!.slice());
    },
  };
}
