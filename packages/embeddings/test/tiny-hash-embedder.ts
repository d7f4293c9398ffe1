import type { Embedder } from '@finkit/core';
import { l2Normalize } from '../src/l2-normalize.js';

/**
 * A small, deterministic `Embedder` for tests of wrappers: character trigrams hashed into 16
 * buckets. It records every call so a test can see exactly what reached it.
 */
export interface TinyHashEmbedder extends Embedder {
  readonly calls: string[][];
  /** When set, the next call rejects with this error (and clears it). */
  failNext: Error | undefined;
}

export function createTinyHashEmbedder(): TinyHashEmbedder {
  const dimensions = 16;
  const embedder: TinyHashEmbedder = {
    id: 'tiny-hash-16@1',
    dimensions,
    calls: [],
    failNext: undefined,
    async embed(texts) {
      embedder.calls.push([...texts]);
      // Yields like a real model would, so concurrent callers really overlap.
      await new Promise((resolve) => setImmediate(resolve));
      const error = embedder.failNext;
      embedder.failNext = undefined;
      if (error) throw error;
      return texts.map((text) => {
        const vector = new Float32Array(dimensions);
        const padded = ` ${text} `;
        for (let i = 0; i + 3 <= padded.length; i++) {
          let hash = 0;
          for (let j = i; j < i + 3; j++) hash = (hash * 31 + padded.charCodeAt(j)) >>> 0;
          vector[hash % dimensions]! += 1;
        }
        return l2Normalize(vector);
      });
    },
  };
  return embedder;
}
