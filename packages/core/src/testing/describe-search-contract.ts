import { expect } from 'vitest';
import type { Store } from '../ports/store.js';
import {
  type ContractHarness,
  expectFinkitError,
  type SeededUser,
  seedAccounts,
  seedUser,
  syncTransaction,
} from './store-contract-fixtures.js';

const model = 'contract-embedder-v1';

/** A unit vector at `degrees` in the plane: cosine similarity between two is cos(difference). */
const unit = (degrees: number): Float32Array =>
  new Float32Array([Math.cos((degrees * Math.PI) / 180), Math.sin((degrees * Math.PI) / 180), 0, 0]);

/** Ten rows at 0°, 10°, … 90° from the query direction (0°). */
async function seedVectors(store: Store): Promise<{ seeded: SeededUser; idAt: (degrees: number) => string }> {
  const seeded = await seedUser(store, 10);
  await store.transactions.setEmbeddings(
    seeded.userId,
    seeded.inputs.map((input, i) => ({
      transactionId: seeded.rows.get(input.providerTransactionId)!.id,
      model,
      vector: unit(i * 10),
    })),
  );
  const idAt = (degrees: number) => seeded.rows.get(seeded.inputs[degrees / 10]!.providerTransactionId)!.id;
  return { seeded, idAt };
}

export function describeSearchContract(harness: ContractHarness): void {
  /** Without vectorSearch, each search test instead checks that searching says so. */
  const searchTest = (title: string, fn: () => Promise<void>) =>
    harness.test(title, async () => {
      const { store } = harness;
      if (store.capabilities.vectorSearch) return fn();
      await expectFinkitError(
        () => store.searchSimilar('anyone', { vector: unit(0), model, k: 3 }),
        'CAPABILITY_UNAVAILABLE',
        'searchSimilar on a store without vectorSearch',
      );
    });

  searchTest('searchSimilar returns the k nearest rows by cosine similarity, closest first', async () => {
    const { store } = harness;
    const { seeded, idAt } = await seedVectors(store);
    const found = await store.searchSimilar(seeded.userId, { vector: unit(0), model, k: 3 });
    expect(
      found.map((r) => r.transaction.id),
      'nearest three',
    ).toEqual([idAt(0), idAt(10), idAt(20)]);
    expect(found[0]!.score, 'identical direction scores 1').toBeCloseTo(1, 5);
    expect(found[2]!.score, 'cos 20°').toBeCloseTo(Math.cos((20 * Math.PI) / 180), 5);
    const rotated = await store.searchSimilar(seeded.userId, { vector: unit(72), model, k: 2 });
    expect(
      rotated.map((r) => r.transaction.id),
      'nearest to 72°',
    ).toEqual([idAt(70), idAt(80)]);
  });

  searchTest('searchSimilar filters before taking k, so filters never starve the result', async () => {
    const { store } = harness;
    const { seeded, idAt } = await seedVectors(store);
    const farOnly = await store.searchSimilar(seeded.userId, {
      vector: unit(0),
      model,
      k: 2,
      filter: { minAmount: 0 },
    });
    // Seeded inflows are the rows i % 4 === 3: here 30° and 70°.
    expect(farOnly.map((r) => r.transaction.id)).toEqual([idAt(30), idAt(70)]);
    await store.transactions.edit(seeded.userId, [{ id: idAt(0), fields: { hidden: true } }], 'user');
    await store.applySyncBatch(seeded.batch({ removed: [seeded.inputs[1]!.providerTransactionId] }));
    const visible = await store.searchSimilar(seeded.userId, { vector: unit(0), model, k: 2 });
    expect(
      visible.map((r) => r.transaction.id),
      'hidden and removed rows left out',
    ).toEqual([idAt(20), idAt(30)]);
    const withHidden = await store.searchSimilar(seeded.userId, {
      vector: unit(0),
      model,
      k: 1,
      filter: { includeHidden: true },
    });
    expect(
      withHidden.map((r) => r.transaction.id),
      'includeHidden',
    ).toEqual([idAt(0)]);
  });

  searchTest(
    'searchSimilar only uses embeddings of the given model; setEmbeddings replaces per model',
    async () => {
      const { store } = harness;
      const { seeded, idAt } = await seedVectors(store);
      await store.transactions.setEmbeddings(seeded.userId, [
        { transactionId: idAt(90), model: 'other-model', vector: unit(0) },
      ]);
      const other = await store.searchSimilar(seeded.userId, { vector: unit(0), model: 'other-model', k: 5 });
      expect(
        other.map((r) => r.transaction.id),
        'only the row with an other-model embedding',
      ).toEqual([idAt(90)]);
      await store.transactions.setEmbeddings(seeded.userId, [
        { transactionId: idAt(90), model, vector: unit(0) },
      ]);
      const replaced = await store.searchSimilar(seeded.userId, { vector: unit(0), model, k: 2 });
      expect(replaced.map((r) => r.transaction.id).sort(), 'replaced vector now nearest').toEqual(
        [idAt(0), idAt(90)].sort(),
      );
    },
  );

  searchTest('embeddings given with a sync batch are searchable', async () => {
    const { store } = harness;
    const seeded = await seedUser(store, 0);
    await store.applySyncBatch(
      seeded.batch({
        upserts: [
          { ...syncTransaction('emb-1', seedAccounts.checking), embedding: { model, vector: unit(45) } },
          { ...syncTransaction('emb-2', seedAccounts.checking), embedding: { model, vector: unit(0) } },
        ],
      }),
    );
    const found = await store.searchSimilar(seeded.userId, { vector: unit(40), model, k: 5 });
    expect(found.map((r) => r.transaction.providerTransactionId)).toEqual(['emb-1', 'emb-2']);
  });

  searchTest('a store with vectorSearch answers searchSimilar for a user with no embeddings', async () => {
    const { store } = harness;
    const seeded = await seedUser(store, 2);
    expect(await store.searchSimilar(seeded.userId, { vector: unit(0), model, k: 3 })).toEqual([]);
  });
}
