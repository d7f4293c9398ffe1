import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../memory/memory-store.js';
import type { Embedder } from '../ports/embedder.js';
import { type CategorizeSubject, createCategorizer } from './create-categorizer.js';
import { createNeighbourIndex } from './create-neighbour-index.js';
import { createUserLearner } from './create-user-learner.js';
import { decodeVector, encodeVector } from './encode-vector.js';
import { createMemoryLearnerStateStore } from './learner-state-store.js';
import { normalizeMerchant } from './normalize-merchant.js';
import { textFeatures } from './text-features.js';

const user = 'alice';
const tx = (description: string, amount = -1_000): CategorizeSubject => ({
  description,
  amount,
  date: '2024-03-05',
});
const featuresOf = (d: string, amount = -1_000): Uint32Array =>
  textFeatures(normalizeMerchant(d).key, d, amount);

/** Hashed character trigrams, L2-normalised, counting its calls. */
function createTrigramEmbedder(dimensions = 256): Embedder & { texts: string[] } {
  const texts: string[] = [];
  return {
    id: 'test-trigram',
    dimensions,
    texts,
    async embed(input) {
      texts.push(...input);
      return input.map((text) => {
        const v = new Float32Array(dimensions);
        const padded = ` ${text.toLowerCase()} `;
        for (let i = 0; i + 3 <= padded.length; i++) {
          let h = 2166136261;
          for (const ch of padded.slice(i, i + 3)) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
          v[(h >>> 0) % dimensions]! += 1;
        }
        const norm = Math.hypot(...v) || 1;
        return v.map((x) => x / norm);
      });
    },
  };
}

describe('encodeVector', () => {
  it('round-trips a unit vector within int8 precision', () => {
    const v = Float32Array.from({ length: 512 }, (_, i) => Math.sin(i * 1.7));
    const norm = Math.hypot(...v);
    const unit = v.map((x) => x / norm);
    const back = decodeVector(encodeVector(unit))!;
    let cos = 0;
    for (let i = 0; i < unit.length; i++) cos += unit[i]! * back[i]!;
    expect(cos).toBeGreaterThan(0.999);
    expect(encodeVector(unit).length).toBeLessThan(720);
    expect(decodeVector('not a vector')).toBeNull();
  });
});

describe('createNeighbourIndex', () => {
  it('votes by n-gram similarity without vectors, weighted by closeness', () => {
    const index = createNeighbourIndex({ k: 3 });
    for (const [d, c] of [
      ['OAKTOWN CLIMBING GYM', 'personal_care'],
      ['MISSION CLIMBING CLUB', 'personal_care'],
      ['BAYSIDE TOOL RENTAL', 'shopping'],
    ] as const) {
      index.add({ features: featuresOf(d), vector: null, categoryId: c });
    }
    const near = index.predict(featuresOf('DOGPATCH CLIMBING GYM'), null)!;
    expect(near.categoryId).toBe('personal_care');
    expect(near.shares.get('personal_care')).toBeGreaterThan(near.shares.get('shopping') ?? 0);
    const far = index.predict(featuresOf('ZZQ'), null);
    expect(far === null || far.confidence < near.confidence).toBe(true);
  });

  it('prefers embeddings when both sides have one, and drops the oldest beyond its size', () => {
    const index = createNeighbourIndex({ k: 1, maxExamples: 4 });
    const unit = (i: number): Float32Array => Float32Array.from({ length: 4 }, (_, j) => (j === i ? 1 : 0));
    // Identical text features, different vectors: only the vectors can tell them apart.
    const same = featuresOf('SAME TEXT');
    index.add({ features: same, vector: unit(0), categoryId: 'travel' });
    index.add({ features: same, vector: unit(1), categoryId: 'education' });
    expect(index.predict(same, unit(1))!.categoryId).toBe('education');
    expect(index.predict(same, unit(0))!.categoryId).toBe('travel');
    for (let i = 0; i < 4; i++)
      index.add({ features: featuresOf(`X${i}`), vector: null, categoryId: 'shopping' });
    expect(index.size).toBeLessThanOrEqual(4);
    expect(index.examples().some((e) => e.categoryId === 'travel')).toBe(false);
  });
});

describe('createUserLearner', () => {
  it('holds no vectors once the examples that had them are dropped', () => {
    const learner = createUserLearner(null, { vectorModel: 'test', maxNeighbours: 4 });
    const learn = (description: string, vector: Float32Array | null) =>
      learner.learn({
        key: normalizeMerchant(description).key,
        name: description,
        amount: -1_000,
        description,
        features: featuresOf(description),
        vector,
        categoryId: 'shopping',
      });
    learn('WITH VECTOR', Float32Array.of(1, 0));
    expect(learner.hasVectors).toBe(true);
    for (let i = 0; i < 4; i++) learn(`NO VECTOR ${i}`, null);
    expect(learner.hasVectors).toBe(false);
  });
});

describe('learned models in the categorizer', () => {
  const corrections: [string, string][] = [
    ['PIEDMONT PIANO CO LESSONS', 'education'],
    ['ROCKRIDGE VIOLIN STUDIO', 'education'],
    ['GREAT WESTERN POWER CO', 'personal_care'],
    ['BLUE HERON FRAMING', 'shopping'],
    ['ZQX HOLDINGS', 'travel'],
  ];

  it('neighbours by embedding: corrections are embedded, persisted, and decide similar merchants', async () => {
    const store = createMemoryStore();
    const learner = createMemoryLearnerStateStore();
    const embedder = createTrigramEmbedder();
    const categorizer = createCategorizer({ store, learner, embedder, model: 'neighbours' });
    await categorizer.recordCorrections(
      user,
      corrections.map(([d, c]) => ({ transaction: tx(d), categoryId: c })),
    );
    expect(embedder.texts).toContain('piedmont piano co lessons');
    const saved = (await learner.load(user))?.snapshot;
    expect(saved?.vectorModel).toBe('test-trigram');
    expect(saved?.neighbours?.filter((n) => n.vector !== null)).toHaveLength(corrections.length);
    // Kept as the descriptor and amount; the n-gram features are recomputed on load.
    expect(saved?.neighbours?.[0]).toMatchObject({
      description: 'PIEDMONT PIANO CO LESSONS',
      amount: -1_000,
    });
    expect(saved?.neighbours?.[0]?.features).toBeUndefined();

    // A fresh process: the vectors come from the saved state, not from embedding the corrections again.
    const fresh = createTrigramEmbedder();
    const again = createCategorizer({ store, learner, embedder: fresh, model: 'neighbours' });
    const [piano] = await again.categorize(user, [tx('PIEDMONT PIANO STUDIO')]);
    expect(piano).toMatchObject({ categoryId: 'education', signal: 'learned' });
    expect(fresh.texts).toEqual(expect.not.arrayContaining(['rockridge violin studio']));
  });

  it('a weak learned guess yields to cold-start signals; trusting it forces the guess', async () => {
    const make = (trust?: number) => {
      const c = createCategorizer({
        store: createMemoryStore(),
        ...(trust === undefined ? {} : { trustModelConfidence: trust, minConfidence: trust }),
      });
      return c
        .recordCorrections(
          user,
          corrections.map(([d, c]) => ({ transaction: tx(d), categoryId: c })),
        )
        .then(() => c);
    };
    // Never corrected; the keyword DENTAL knows it, the model only guesses among five categories.
    const dentist = tx('SUNSET DENTAL GROUP');
    const [cautious] = await (await make()).categorize(user, [dentist]);
    expect(cautious).toMatchObject({ categoryId: 'healthcare', signal: 'keyword' });
    const [forced] = await (await make(0.05)).categorize(user, [dentist]);
    expect(forced!.signal).toBe('learned');
    expect(forced!.categoryId).not.toBe('healthcare');
  });

  it('reads a snapshot saved before the neighbour model (recent examples only)', async () => {
    const store = createMemoryStore();
    const learner = createMemoryLearnerStateStore();
    await createCategorizer({ store, learner }).recordCorrections(
      user,
      corrections.map(([d, c]) => ({ transaction: tx(d), categoryId: c })),
    );
    const { snapshot: old, version } = (await learner.load(user))!;
    delete old.neighbours;
    delete old.vectorModel;
    expect(await learner.save(user, old, version)).toBe(version + 1);
    const [violin] = await createCategorizer({ store, learner, model: 'neighbours' }).categorize(user, [
      tx('PIEDMONT PIANO STUDIO'),
    ]);
    expect(violin).toMatchObject({ categoryId: 'education', signal: 'learned' });
  });
});
