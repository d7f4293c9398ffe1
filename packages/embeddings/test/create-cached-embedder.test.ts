import { FinkitError } from '@finkit/core';
import { describe, expect, it } from 'vitest';
import { createCachedEmbedder } from '../src/create-cached-embedder.js';
import { createTinyHashEmbedder } from './tiny-hash-embedder.js';

describe('createCachedEmbedder', () => {
  it('passes id and dimensions through and returns nothing for no texts without calling inner', async () => {
    const inner = createTinyHashEmbedder();
    const cached = createCachedEmbedder(inner);
    expect(cached.id).toBe(inner.id);
    expect(cached.dimensions).toBe(inner.dimensions);
    expect(await cached.embed([])).toEqual([]);
    expect(inner.calls).toEqual([]);
  });

  it('embeds each distinct normalized text once, across calls', async () => {
    const inner = createTinyHashEmbedder();
    const cached = createCachedEmbedder(inner);
    const first = await cached.embed(['Starbucks  #123', ' starbucks #123 ', 'SHELL OIL', 'STARBUCKS\t#123']);
    expect(inner.calls).toEqual([['starbucks #123', 'shell oil']]);
    expect(first).toHaveLength(4);
    expect(first[0]).toEqual(first[1]);
    expect(first[0]).toEqual(first[3]);
    expect(first[0]).not.toEqual(first[2]);
    expect(first[2]).toEqual((await inner.embed(['shell oil']))[0]);

    const second = await cached.embed(['shell oil', 'Starbucks #123', 'rent']);
    expect(inner.calls.slice(2)).toEqual([['rent']]);
    expect(second[0]).toEqual(first[2]);
    expect(second[1]).toEqual(first[0]);
    expect(cached.size).toBe(3);
  });

  it('sends misses to the inner embedder in batches of batchSize', async () => {
    const inner = createTinyHashEmbedder();
    const cached = createCachedEmbedder(inner, { batchSize: 64 });
    const texts = Array.from({ length: 150 }, (_, i) => `merchant ${i}`);
    const vectors = await cached.embed(texts);
    expect(inner.calls.map((call) => call.length)).toEqual([64, 64, 22]);
    expect(vectors[149]).toEqual((await inner.embed(['merchant 149']))[0]);
  });

  it('shares one inner call between concurrent requests for the same text', async () => {
    const inner = createTinyHashEmbedder();
    const cached = createCachedEmbedder(inner);
    const [a, b, c] = await Promise.all([
      cached.embed(['Blue Bottle', 'Lyft']),
      cached.embed(['blue bottle', 'Uber']),
      cached.embed(['LYFT', 'uber', 'blue  bottle']),
    ]);
    const embedded = inner.calls.flat().sort();
    expect(embedded).toEqual(['blue bottle', 'lyft', 'uber']);
    expect(b![0]).toEqual(a![0]);
    expect(c![2]).toEqual(a![0]);
    expect(c![0]).toEqual(a![1]);
    expect(c![1]).toEqual(b![1]);
  });

  it('drops the least recently used text when full', async () => {
    const inner = createTinyHashEmbedder();
    const cached = createCachedEmbedder(inner, { maxEntries: 2 });
    await cached.embed(['a']);
    await cached.embed(['b']);
    await cached.embed(['a']); // a is now the most recently used
    await cached.embed(['c']); // evicts b
    await cached.embed(['a']);
    await cached.embed(['b']);
    expect(inner.calls).toEqual([['a'], ['b'], ['c'], ['b']]);
    expect(cached.size).toBe(2);
  });

  it('returns copies, so a caller cannot corrupt the cache', async () => {
    const inner = createTinyHashEmbedder();
    const cached = createCachedEmbedder(inner);
    const [first] = await cached.embed(['netflix']);
    const original = first!.slice();
    first!.fill(0);
    const [again] = await cached.embed(['netflix']);
    expect(again).toEqual(original);
    expect(inner.calls).toHaveLength(1);
  });

  it('propagates an inner failure and retries the same texts on the next call', async () => {
    const inner = createTinyHashEmbedder();
    const cached = createCachedEmbedder(inner, { batchSize: 1 });
    inner.failNext = new Error('model crashed');
    await expect(cached.embed(['spotify', 'hulu'])).rejects.toThrow('model crashed');
    // The second batch queued behind the failed one never reached the inner embedder.
    expect(inner.calls).toEqual([['spotify']]);
    const vectors = await cached.embed(['spotify', 'hulu']);
    expect(vectors).toHaveLength(2);
    expect(inner.calls).toEqual([['spotify'], ['spotify'], ['hulu']]);
  });

  it('rejects an inner embedder that breaks the port', async () => {
    const inner = createTinyHashEmbedder();
    const cached = createCachedEmbedder({ id: 'liar', dimensions: 8, embed: inner.embed });
    const error = await cached.embed(['x']).catch((e: unknown) => e);
    expect(FinkitError.hasCode(error, 'INTERNAL')).toBe(true);
  });

  it('rejects options that are not positive integers', () => {
    const inner = createTinyHashEmbedder();
    expect(() => createCachedEmbedder(inner, { maxEntries: 0 })).toThrow(FinkitError);
    expect(() => createCachedEmbedder(inner, { batchSize: 1.5 })).toThrow(FinkitError);
  });
});
