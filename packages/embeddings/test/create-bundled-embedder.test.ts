import { FinkitError } from '@finkit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBundledEmbedder } from '../src/create-bundled-embedder.js';
import { createCachedEmbedder } from '../src/create-cached-embedder.js';

const dot = (a: Float32Array, b: Float32Array): number => a.reduce((sum, x, i) => sum + x * b[i]!, 0);

describe('createBundledEmbedder', () => {
  // One model load for the whole file: it is the slow part.
  const embedder = createBundledEmbedder({ batchSize: 4 });
  let vectors: Float32Array[] = [];
  const texts = ['Starbucks Coffee', 'blue bottle coffee', 'shell gas station', '', 'Payroll ACME Corp', 'x'];

  beforeAll(async () => {
    vectors = await embedder.embed(texts);
  }, 120_000);

  it('names the model with the weights package version and reports 512 dimensions', () => {
    expect(embedder.id).toMatch(/^use-lite-512@\d+\.\d+\.\d+/);
    expect(embedder.dimensions).toBe(512);
  });

  it('gives one 512-d unit vector per text, in order, across batches, including an empty text', () => {
    expect(vectors).toHaveLength(texts.length);
    for (const vector of vectors) {
      expect(vector).toBeInstanceOf(Float32Array);
      expect(vector).toHaveLength(512);
      expect(dot(vector, vector)).toBeCloseTo(1, 5);
    }
  });

  it('puts coffee shops closer to each other than to a gas station', () => {
    const [starbucks, blueBottle, shell] = vectors as [Float32Array, Float32Array, Float32Array];
    expect(dot(starbucks, blueBottle)).toBeGreaterThan(dot(starbucks, shell) + 0.1);
  });

  it('is deterministic, case-insensitive and independent of the batch a text is in', async () => {
    const again = await embedder.embed(['starbucks coffee', 'shell gas station']);
    expect(dot(again[0]!, vectors[0]!)).toBeCloseTo(1, 5);
    expect(dot(again[1]!, vectors[2]!)).toBeCloseTo(1, 5);
    expect(dot(vectors[0]!, vectors[2]!)).toBeLessThan(0.9);
  });

  it('gives the same vectors to concurrent callers', async () => {
    const [a, b] = await Promise.all([
      embedder.embed(['shell gas station']),
      embedder.embed(['starbucks coffee']),
    ]);
    expect(dot(a[0]!, vectors[2]!)).toBeCloseTo(1, 5);
    expect(dot(b[0]!, vectors[0]!)).toBeCloseTo(1, 5);
  });

  it('gives the same vectors behind the cache, whose key normalizes case and spacing', async () => {
    const cached = createCachedEmbedder(embedder);
    const [spaced, plain] = await cached.embed(['  STARBUCKS   Coffee ', 'shell gas station']);
    expect(cached.id).toBe(embedder.id);
    expect(dot(spaced!, vectors[0]!)).toBeCloseTo(1, 5);
    expect(dot(plain!, vectors[2]!)).toBeCloseTo(1, 5);
  });

  it('returns nothing for no texts', async () => {
    expect(await createBundledEmbedder().embed([])).toEqual([]);
  });

  it('rejects a batch size that is not a positive integer', () => {
    expect(() => createBundledEmbedder({ batchSize: 0 })).toThrow(FinkitError);
  });
});
