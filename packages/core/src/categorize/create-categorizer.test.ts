import { describe, expect, it } from 'vitest';
import { FinkitError } from '../errors/finkit-error.js';
import { createMemoryEventBus } from '../events/create-memory-event-bus.js';
import { createMemoryStore } from '../memory/memory-store.js';
import type { Embedder } from '../ports/embedder.js';
import type { Store } from '../ports/store.js';
import type { FinkitEvent } from '../schemas/event.js';
import { newRuleSchema } from '../schemas/rule.js';
import type { ProviderCategory } from '../schemas/transaction.js';
import { providerAccount, syncTransaction } from '../testing/store-contract-fixtures.js';
import { type CategorizeSubject, createCategorizer } from './create-categorizer.js';
import { createMemoryLearnerStateStore } from './learner-state-store.js';

const user = 'alice';
const tx = (
  description: string,
  amount = -1_000,
  providerCategory: ProviderCategory | null = null,
): CategorizeSubject => ({
  description,
  amount,
  date: '2024-03-05',
  providerCategory,
});

async function seed(store: Store, rows: { description: string; amount: number }[]): Promise<string[]> {
  const connection = await store.connections.create({
    userId: user,
    provider: 'test',
    providerItemId: `item-${Math.random()}`,
    institutionId: null,
    institutionName: null,
    encryptedAccessToken: 'x',
  });
  const result = await store.applySyncBatch({
    userId: user,
    connectionId: connection.id,
    nextCursor: 'c1',
    accounts: [providerAccount('acc-1')],
    upserts: rows.map((r, i) =>
      syncTransaction(`t${i}`, 'acc-1', {
        ...r,
        providerCategory: null,
        date: `2024-03-${String(10 + i).padStart(2, '0')}`,
      }),
    ),
    removed: [],
    syncedAt: new Date('2024-04-01T00:00:00Z'),
  });
  return result.added;
}

/** A deterministic embedder: hashed character trigrams, L2-normalised. */
function createTrigramEmbedder(dimensions = 256): Embedder {
  return {
    id: 'test-trigram',
    dimensions,
    async embed(texts) {
      return texts.map((text) => {
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

describe('createCategorizer', () => {
  it('uses the provider, then the merchant table, then keywords, else flags for review', async () => {
    const categorizer = createCategorizer({ store: createMemoryStore() });
    const coffee = {
      primary: 'FOOD_AND_DRINK',
      detailed: 'FOOD_AND_DRINK_COFFEE',
      confidenceLevel: 'HIGH',
      version: 'v2',
    } as const;
    const [plaid, table, keyword, unknown] = await categorizer.categorize(user, [
      tx('SQ *SOMEWHERE', -450, coffee),
      tx('SHELL OIL 57444213405 HOUSTON TX'),
      tx('ROCKRIDGE HAIR SALON OAKLAND CA'),
      tx('XJQ 4471 ZZT'),
    ]);
    expect(plaid).toMatchObject({
      categoryId: 'food_and_dining',
      source: 'provider',
      explanation: 'Plaid: FOOD_AND_DRINK_COFFEE',
    });
    expect(table).toMatchObject({ categoryId: 'transportation', signal: 'knowledge', source: 'model' });
    expect(keyword).toMatchObject({ categoryId: 'personal_care', signal: 'keyword' });
    expect(unknown).toMatchObject({ categoryId: 'uncategorized', needsReview: true, signal: 'none' });
  });

  it('reads the sign: a merchant credit is a refund, payroll credit is income', async () => {
    const categorizer = createCategorizer({ store: createMemoryStore() });
    const [refund, pay, payOut] = await categorizer.categorize(user, [
      tx('STARBUCKS STORE 05123 SEATTLE WA', 450),
      tx('GUSTO PAYROLL 123456', 250_000),
      tx('GUSTO PAYROLL FEE', -4_500),
    ]);
    expect(refund).toMatchObject({ categoryId: 'food_and_dining', explanation: 'refund from Starbucks' });
    expect(pay).toMatchObject({ categoryId: 'income' });
    expect(payOut!.categoryId).not.toBe('income');
  });

  it('lists the rules corrections suggest until a rule covers them', async () => {
    const store = createMemoryStore();
    const categorizer = createCategorizer({ store });
    for (let i = 0; i < 3; i++) {
      await categorizer.recordCorrection(user, tx('SQ *TARTINE BAKERY'), 'entertainment');
    }
    await categorizer.recordCorrection(user, tx('BLUE HERON FRAMING'), 'shopping');
    const [suggested, ...others] = await categorizer.suggestRules(user);
    expect(others).toEqual([]);
    expect(suggested).toMatchObject({ name: 'Tartine Bakery', actions: { categoryId: 'entertainment' } });
    await store.rules.create(user, newRuleSchema.parse(suggested));
    expect(await categorizer.suggestRules(user)).toEqual([]);
  });

  it('learns a merchant from corrections, explains it, and suggests a rule after three', async () => {
    const store = createMemoryStore();
    const categorizer = createCategorizer({ store });
    const outcomes = [];
    for (const d of [
      'SQ *TARTINE BAKERY SAN FRANCISCO CA',
      'TARTINE BAKERY 03/02 SAN FRANCISCO CA',
      'SQ *TARTINE BAKERY',
    ]) {
      outcomes.push(await categorizer.recordCorrection(user, tx(d), 'entertainment'));
    }
    expect(outcomes.map((o) => o.suggestedRule !== null)).toEqual([false, false, true]);
    expect(outcomes[2]!.suggestedRule).toMatchObject({ actions: { categoryId: 'entertainment' } });
    const [result] = await categorizer.categorize(user, [tx('TARTINE BAKERY #2 SAN FRANCISCO CA')]);
    expect(result).toMatchObject({ categoryId: 'entertainment', source: 'learned' });
    expect(result!.explanation).toMatch(/^like 3 of your corrections of Tartine Bakery/);
    // Another user learned nothing from alice.
    const [bob] = await categorizer.categorize('bob', [tx('SQ *TARTINE BAKERY')]);
    expect(bob!.categoryId).toBe('food_and_dining');
  });

  it('generalises corrections to unseen merchants through the n-gram model', async () => {
    const categorizer = createCategorizer({ store: createMemoryStore() });
    const examples: [string, string][] = [
      ['SQ *OAKTOWN CLIMBING GYM', 'entertainment'],
      ['BERKELEY CLIMBING WALL', 'entertainment'],
      ['MISSION CLIMBING CLUB', 'entertainment'],
      ['ACME TOOL RENTAL', 'shopping'],
      ['BAYSIDE TOOL RENTAL', 'shopping'],
      ['CITY TOOL RENTAL', 'shopping'],
    ];
    for (const [d, c] of examples) await categorizer.recordCorrection(user, tx(d), c);
    const [climb, tools] = await categorizer.categorize(user, [
      tx('DOGPATCH CLIMBING CO'),
      tx('EASTSIDE TOOL RENTAL'),
    ]);
    expect(climb).toMatchObject({ categoryId: 'entertainment', source: 'learned' });
    expect(tools).toMatchObject({ categoryId: 'shopping', source: 'learned' });
  });

  it('keeps learned state in the given state store', async () => {
    const store = createMemoryStore();
    const learner = createMemoryLearnerStateStore();
    await createCategorizer({ store, learner }).recordCorrection(user, tx('NEIGHBORHOOD CO-OP'), 'shopping');
    const [again] = await createCategorizer({ store, learner }).categorize(user, [tx('NEIGHBORHOOD CO-OP')]);
    expect(again).toMatchObject({ categoryId: 'shopping', source: 'learned' });
  });

  it('applies rules by stage and priority, later ones overriding, above every other signal', async () => {
    const store = createMemoryStore();
    const base = {
      enabled: true,
      match: 'all' as const,
      conditions: [
        { field: 'description' as const, op: 'contains' as const, value: 'starbucks', caseSensitive: false },
      ],
    };
    await store.rules.create(user, {
      ...base,
      name: 'Post',
      stage: 'post',
      priority: 0,
      actions: { categoryId: 'travel', addTags: ['trip'] },
    });
    await store.rules.create(user, {
      ...base,
      name: 'Default',
      stage: 'default',
      priority: 5,
      actions: { categoryId: 'shopping', addTags: ['coffee'] },
    });
    await store.rules.create(user, {
      ...base,
      name: 'Pre',
      stage: 'pre',
      priority: 0,
      actions: { categoryId: 'education', hidden: true },
    });
    const categorizer = createCategorizer({ store });
    const [result] = await categorizer.categorize(user, [tx('STARBUCKS #1 SEATTLE WA')]);
    expect(result).toMatchObject({ categoryId: 'travel', source: 'rule', explanation: "rule 'Post'" });
    expect(result!.ruleActions).toMatchObject({ addTags: ['coffee', 'trip'], hidden: true });
  });

  it('previews and applies a rule to history without touching user edits, publishing updates', async () => {
    const store = createMemoryStore();
    const events = createMemoryEventBus();
    const seen: FinkitEvent<'transaction.updated'>[] = [];
    events.subscribe('transaction.updated', (e) => seen.push(e));
    const categorizer = createCategorizer({ store, events });
    const [a, b, c] = await seed(store, [
      { description: 'SQ *BLUE BOTTLE COFFEE', amount: -500 },
      { description: 'BLUE BOTTLE COFFEE OAKLAND CA', amount: -600 },
      { description: 'SAFEWAY #1234', amount: -4_000 },
    ]);
    await store.transactions.edit(user, [{ id: b!, fields: { categoryId: 'shopping' } }], 'user');
    const rule = await store.rules.create(user, {
      name: 'Coffee',
      enabled: true,
      stage: 'default',
      priority: 0,
      match: 'any',
      conditions: [{ field: 'merchantName', op: 'starts_with', value: 'blue bottle', caseSensitive: false }],
      actions: { categoryId: 'entertainment', addTags: ['coffee'] },
    });
    const preview = await categorizer.previewRule(user, rule);
    expect(preview).toEqual(
      expect.arrayContaining([
        {
          transactionId: a,
          categoryId: { from: expect.any(String), to: 'entertainment' },
          addTags: ['coffee'],
        },
        { transactionId: b, addTags: ['coffee'] },
      ]),
    );
    expect(preview.map((p) => p.transactionId)).not.toContain(c);
    await categorizer.applyRuleToHistory(user, rule.id);
    const after = await Promise.all([a!, b!, c!].map((id) => store.transactions.get(user, id)));
    expect(after[0]).toMatchObject({
      categoryId: 'entertainment',
      categoryExplanation: "rule 'Coffee'",
      sources: { categoryId: 'rule' },
    });
    expect(after[1]).toMatchObject({
      categoryId: 'shopping',
      tags: ['coffee'],
      sources: { categoryId: 'user' },
    });
    expect(after[2]!.tags).toEqual([]);
    expect(seen.map((e) => e.data.transactionId).sort()).toEqual([a, b].sort());
  });

  it('rejects a rule whose pattern does not compile', async () => {
    const categorizer = createCategorizer({ store: createMemoryStore() });
    await expect(
      categorizer.previewRule(user, {
        name: 'Broken',
        conditions: [{ field: 'description', op: 'matches', value: '(unclosed' }],
        actions: { categoryId: 'travel' },
      }),
    ).rejects.toSatisfy((e: unknown) => FinkitError.hasCode(e, 'VALIDATION'));
  });

  it('rejects, and leaves out of a sync, a rule whose pattern could backtrack exponentially', async () => {
    const store = createMemoryStore();
    const categorizer = createCategorizer({ store });
    const hostile = {
      name: 'Hostile',
      conditions: [{ field: 'description' as const, op: 'matches' as const, value: '^(a+)+$' }],
      actions: { categoryId: 'travel' },
    };
    await expect(categorizer.previewRule(user, hostile)).rejects.toSatisfy(
      (e: unknown) => FinkitError.hasCode(e, 'VALIDATION') && e.message.includes('exponential'),
    );
    // Stored before this check existed (or written to the store directly): skipped, never run.
    await store.rules.create(user, {
      ...hostile,
      conditions: [{ ...hostile.conditions[0]!, caseSensitive: false }],
      enabled: true,
      stage: 'default',
      priority: 0,
      match: 'all',
    });
    const [id] = await seed(store, [{ description: `${'a'.repeat(40)}!`, amount: -100 }]);
    const started = performance.now();
    await categorizer.recategorize(user, { ids: [id!] });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect((await store.transactions.get(user, id!))!.categoryId).not.toBe('travel');
  });

  it('recategorizes history by provenance: user categories stay, others change', async () => {
    const store = createMemoryStore();
    const categorizer = createCategorizer({ store });
    const [a, b] = await seed(store, [
      { description: 'CHEVRON 0201234 OAKLAND CA', amount: -4_000 },
      { description: 'CHEVRON 0209999 OAKLAND CA', amount: -3_000 },
    ]);
    await store.transactions.edit(user, [{ id: b!, fields: { categoryId: 'travel' } }], 'user');
    const { examined, updated } = await categorizer.recategorize(user, { filter: {} });
    expect(examined).toBe(2);
    expect(updated.map((r) => r.id)).toEqual([a]);
    expect((await store.transactions.get(user, a!))!).toMatchObject({
      categoryId: 'transportation',
      sources: { categoryId: 'model' },
    });
    expect((await store.transactions.get(user, b!))!.categoryId).toBe('travel');
    await expect(categorizer.recategorize(user, { ids: ['nope'] })).rejects.toSatisfy((e: unknown) =>
      FinkitError.hasCode(e, 'NOT_FOUND'),
    );
  });

  it('asks the embedder when nothing cheaper knows the merchant', async () => {
    const categorizer = createCategorizer({
      store: createMemoryStore(),
      embedder: createTrigramEmbedder(),
      minConfidence: 0.3,
    });
    const [result] = await categorizer.categorize(user, [tx('ZQX hotel motel lodging', -20_000)]);
    expect(result).toMatchObject({ categoryId: 'travel', signal: 'embedding', source: 'model' });
    expect(result!.explanation).toMatch(/^close to Travel \(0\.\d\d\)$/);
  });
});
