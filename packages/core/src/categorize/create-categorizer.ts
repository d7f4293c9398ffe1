import { FinkitError, notFound } from '../errors/finkit-error.js';
import { type Clock, systemClock } from '../ports/clock.js';
import type { Embedder } from '../ports/embedder.js';
import type { EventBus } from '../ports/event-bus.js';
import type { EditableValues, Store } from '../ports/store.js';
import { UNCATEGORIZED } from '../schemas/category.js';
import type { FieldSource } from '../schemas/common.js';
import { type NewRule, newRuleSchema, type Rule } from '../schemas/rule.js';
import type {
  FieldSources,
  ProviderCategory,
  Transaction,
  TransactionFilter,
} from '../schemas/transaction.js';
import { parseInput } from '../validation/parse-input.js';
import { type CompiledRule, compileRule, type RuleSubject } from './compile-rule.js';
import { createUserLearner, type LearnedModelKind, type UserLearner } from './create-user-learner.js';
import { prototypeIndex } from './embedding-prototypes.js';
import { compileRules, evaluateRules, type RuleOutcome } from './evaluate-rules.js';
import { matchKeywords } from './keyword-categories.js';
import { createMemoryLearnerStateStore, type LearnerStateStore } from './learner-state-store.js';
import { lookupMerchant } from './merchant-knowledge.js';
import { type NormalizedMerchant, normalizeMerchant } from './normalize-merchant.js';
import { mapPfc, pfcConfidence } from './pfc-category-map.js';
import { textFeatures } from './text-features.js';

export type { LearnedModelKind } from './create-user-learner.js';

/** A transaction to categorize: a stored one, or one arriving from the provider. */
export interface CategorizeSubject {
  description: string;
  merchantName?: string | null;
  /** Signed minor units; negative is money out. */
  amount: number;
  date: string;
  accountId?: string | null;
  providerCategory?: ProviderCategory | null;
  /** The current category and its source; a `user` category is locked. */
  categoryId?: string;
  categoryConfidence?: number;
  categoryExplanation?: string;
  sources?: FieldSources;
}

/** Which signal decided. `knowledge`, `embedding` and `keyword` are stored with source `model`. */
export type CategorySignal =
  | 'user'
  | 'rule'
  | 'learned'
  | 'provider'
  | 'knowledge'
  | 'embedding'
  | 'keyword'
  | 'none';

export interface CategorizationResult {
  categoryId: string;
  /** The provenance to store with the category. */
  source: FieldSource;
  signal: CategorySignal;
  /** 0..1 */
  confidence: number;
  /** One line: "rule 'Coffee'", "like 12 of your corrections of Blue Bottle". */
  explanation: string;
  /** True when nothing was confident enough: the category is Uncategorized and a person should look. */
  needsReview: boolean;
  merchant: NormalizedMerchant;
  /** Rule actions besides the category (read-only: may be shared between results). */
  ruleActions: { merchantName: string | null; addTags: string[]; hidden: boolean | null; ruleIds: string[] };
}

export interface RuleChange {
  transactionId: string;
  categoryId?: { from: string; to: string };
  merchantName?: { from: string | null; to: string };
  addTags?: string[];
  hidden?: { from: boolean; to: boolean };
}

export interface CorrectionOutcome {
  /** Set once the user has corrected this merchant to the same category `suggestAfter` times in a row. */
  suggestedRule: NewRule | null;
}

export type RecategorizeTarget = { ids: readonly string[] } | { filter: TransactionFilter };

export interface RecategorizeResult {
  examined: number;
  /** The rows whose category or rule-set fields changed, after the write. */
  updated: Transaction[];
}

export interface CategorizerOptions {
  store: Store;
  embedder?: Embedder | null;
  /** Where each user's learned state lives; in memory by default. */
  learner?: LearnerStateStore;
  /** Below this a signal is not trusted and the next one is asked. Default 0.5. */
  minConfidence?: number;
  /** The learned model overrides the provider and the merchant table from this confidence. Default 0.85. */
  strongModelConfidence?: number;
  /**
   * From this confidence the learned model is trusted over embeddings and keywords (it still
   * yields to the provider and the merchant table below `strongModelConfidence`); below it, it
   * decides only when no cold-start signal does. Default 0.7.
   */
  trustModelConfidence?: number;
  /**
   * The cosine between a descriptor's embedding and a category's description that counts as a
   * confidence of 0.5 (a coin toss). Suits the bundled encoder; embedders whose similarities
   * run higher (MiniLM) want a higher floor. Default 0.4.
   */
  embeddingFloor?: number;
  /**
   * Which model of the corrections decides for merchants never corrected. Default `neighbours`
   * with an embedder, `linear` without (what measured best).
   */
  model?: LearnedModelKind;
  /** Consistent corrections of one merchant before a rule is suggested. Default 3. */
  suggestAfter?: number;
  /**
   * When given, `recategorize` and `applyRuleToHistory` publish `transaction.updated`, and a
   * correction that makes a rule suggestion publishes `rule.suggested`.
   */
  events?: EventBus | null;
  clock?: Clock;
}

export interface Categorizer {
  /**
   * Categorizes many transactions in one call, in input order, by precedence: the user's own
   * category (never touched) > rules > the user's corrections of the same merchant > the learned
   * model when very sure > the provider's category > the merchant table > the learned model >
   * embeddings > keywords > Uncategorized (needs review). A signal below `minConfidence` is
   * passed over. Reads the user's rules and categories once per call; writes nothing.
   */
  categorize(userId: string, inputs: readonly CategorizeSubject[]): Promise<CategorizationResult[]>;
  /** Learns from a user's choice of category for a transaction (one incremental update). */
  recordCorrection(
    userId: string,
    transaction: CategorizeSubject,
    categoryId: string,
  ): Promise<CorrectionOutcome>;
  /**
   * Many corrections at once (a bulk categorization): one update each, the state saved once;
   * rule suggestions are judged on the state after the whole batch.
   */
  recordCorrections(
    userId: string,
    corrections: readonly { transaction: CategorizeSubject; categoryId: string }[],
  ): Promise<CorrectionOutcome[]>;
  /** Rules the user's corrections suggest and no existing rule covers yet. */
  suggestRules(userId: string): Promise<NewRule[]>;
  /**
   * Runs categorization again over stored rows and writes what changed; a field the user set is
   * never changed. @throws NOT_FOUND for an id that is not the user's.
   */
  recategorize(userId: string, target: RecategorizeTarget): Promise<RecategorizeResult>;
  /** What a rule (saved or not) would change in the user's history, honouring user edits. */
  previewRule(userId: string, rule: Rule | NewRule): Promise<RuleChange[]>;
  /** Applies a saved rule to the user's history in one atomic write. @throws NOT_FOUND */
  applyRuleToHistory(userId: string, ruleId: string): Promise<Transaction[]>;
}

// Shared by every row no rule matched (most of them): read-only, one allocation fewer per row.
const noRuleActions: CategorizationResult['ruleActions'] = Object.freeze({
  merchantName: null,
  addTags: Object.freeze([]) as unknown as string[],
  hidden: null,
  ruleIds: Object.freeze([]) as unknown as string[],
});

const KNOWLEDGE_CONFIDENCE = 0.85;
// Compare-and-set retries when other processes keep saving the same user's learned state.
const MAX_SAVE_ATTEMPTS = 5;

interface CachedLearner {
  learner: UserLearner;
  /** The saved state's version this learner reflects. */
  version: number;
}
const KEYWORD_CONFIDENCE = 0.6;
const PAGE = 1000;

interface Candidate {
  categoryId: string;
  signal: Exclude<CategorySignal, 'user' | 'none'>;
  confidence: number;
  explanation: string;
}

/** A row the user's own signals (their category, rules, corrected merchants) left open. */
interface Open {
  index: number;
  merchant: NormalizedMerchant;
  ruleActions: CategorizationResult['ruleActions'];
  head: Candidate[];
  features: Uint32Array | null;
  model: Candidate | null;
  provider: Candidate | null;
  known: Candidate | null;
  keyword: Candidate | null;
}

const sourceOf: Record<Candidate['signal'], FieldSource> = {
  rule: 'rule',
  learned: 'learned',
  provider: 'provider',
  knowledge: 'model',
  embedding: 'model',
  keyword: 'model',
};

function describeCorrections(count: number, name: string): string {
  return count === 1 ? `like your correction of ${name}` : `like ${count} of your corrections of ${name}`;
}

/** Creates the categorization engine. See `Categorizer.categorize` for the order of signals. */
export function createCategorizer(options: CategorizerOptions): Categorizer {
  const { store } = options;
  const embedder = options.embedder ?? null;
  const stateStore = options.learner ?? createMemoryLearnerStateStore();
  const minConfidence = options.minConfidence ?? 0.5;
  const strongModel = options.strongModelConfidence ?? 0.85;
  const trustModel = options.trustModelConfidence ?? 0.7;
  // Measured with `pnpm eval:categorize --compare`: neighbours by embedding did best with an
  // embedder, the linear model without one (the blend never beat the better of the two).
  const modelKind: LearnedModelKind = options.model ?? (embedder ? 'neighbours' : 'linear');
  const embeddingFloor = options.embeddingFloor ?? 0.4;
  const suggestAfter = options.suggestAfter ?? 3;
  const events = options.events ?? null;
  const clock = options.clock ?? systemClock;
  // Each user's learner, cached with the version of the state it was loaded from.
  const learners = new Map<string, Promise<CachedLearner>>();
  const writing = new Map<string, Promise<unknown>>();

  function load(userId: string): Promise<CachedLearner> {
    const loading = stateStore.load(userId).then((found) => ({
      learner: createUserLearner(found?.snapshot ?? null, { vectorModel: embedder?.id ?? null }),
      version: found?.version ?? 0,
    }));
    learners.set(userId, loading);
    loading.catch(() => learners.delete(userId));
    return loading;
  }

  /**
   * The user's learner, reloaded when the saved state's version moved: another process (or
   * categorizer) learned from a correction since. One small read per call, not per row.
   */
  async function learnerOf(userId: string): Promise<CachedLearner> {
    const [cached, version] = await Promise.all([
      learners.get(userId) ?? load(userId),
      stateStore.version(userId),
    ]);
    return cached.version === version ? cached : load(userId);
  }

  /** Runs one user's learning writes one after another within this process. */
  function serially<T>(userId: string, run: () => Promise<T>): Promise<T> {
    const result = (writing.get(userId) ?? Promise.resolve()).then(run, run);
    const settled = result.catch(() => undefined);
    writing.set(userId, settled);
    void settled.then(() => {
      if (writing.get(userId) === settled) writing.delete(userId);
    });
    return result;
  }

  function subjectOf(input: CategorizeSubject, merchant: NormalizedMerchant): RuleSubject {
    return {
      description: input.description,
      merchantName: input.merchantName ?? (merchant.name.length > 0 ? merchant.name : null),
      amount: input.amount,
      accountId: input.accountId ?? null,
      providerCategory: input.providerCategory ?? null,
      date: input.date,
    };
  }

  function ruleActionsOf(outcome: RuleOutcome): CategorizationResult['ruleActions'] {
    return {
      merchantName: outcome.merchantName?.value ?? null,
      addTags: outcome.addTags,
      hidden: outcome.hidden?.value ?? null,
      ruleIds: outcome.matched.map((r) => r.id),
    };
  }

  async function categorize(
    userId: string,
    inputs: readonly CategorizeSubject[],
  ): Promise<CategorizationResult[]> {
    if (inputs.length === 0) return [];
    const [rules, categories, learner] = await Promise.all([
      store.rules.list(userId),
      store.categories.list(userId),
      learnerOf(userId).then((cached) => cached.learner),
    ]);
    const compiled = compileRules(rules);
    const names = new Map(categories.map((c) => [c.id, c.name]));
    const useModel = learner.corrections > 0;
    // The neighbour model compares embeddings when it holds some: then every row the user's
    // own signals leave open is embedded, not only those the cold-start signals leave open.
    const modelWantsVector = useModel && embedder !== null && modelKind !== 'linear' && learner.hasVectors;
    const merchants = new Map<string, NormalizedMerchant>();
    const results: CategorizationResult[] = new Array(inputs.length);
    // Rows no cheap signal settled, waiting for the embedder (one batch call for all of them).
    const pending: Open[] = [];

    const modelCandidate = (open: Open, vector: Float32Array | null): Candidate | null => {
      if (!open.features) return null;
      const guess = learner.model(open.features, vector, modelKind);
      return guess && names.has(guess.categoryId)
        ? {
            categoryId: guess.categoryId,
            signal: 'learned',
            confidence: guess.confidence,
            explanation: `learned from your corrections (${guess.confidence.toFixed(2)})`,
          }
        : null;
    };

    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i]!;
      let merchant = merchants.get(input.description);
      if (!merchant) {
        merchant = normalizeMerchant(input.description);
        merchants.set(input.description, merchant);
      }
      const outcome = compiled.length > 0 ? evaluateRules(compiled, subjectOf(input, merchant)) : null;
      const ruleActions = outcome ? ruleActionsOf(outcome) : noRuleActions;

      if (input.sources?.categoryId === 'user' && input.categoryId !== undefined) {
        results[i] = {
          categoryId: input.categoryId,
          source: 'user',
          signal: 'user',
          confidence: 1,
          explanation: input.categoryExplanation ?? 'set by you',
          needsReview: false,
          merchant,
          ruleActions,
        };
        continue;
      }
      const head: Candidate[] = [];
      if (outcome?.categoryId) {
        head.push({
          categoryId: outcome.categoryId.value,
          signal: 'rule',
          confidence: 1,
          explanation: `rule '${outcome.categoryId.rule.name}'`,
        });
      }
      const remembered = learner.merchant(merchant.key, input.amount);
      if (remembered && names.has(remembered.categoryId)) {
        head.push({
          categoryId: remembered.categoryId,
          signal: 'learned',
          confidence: Math.min(
            0.99,
            0.6 + 0.4 * remembered.confidence * (remembered.count / (remembered.count + 1)),
          ),
          explanation: describeCorrections(remembered.count, remembered.name),
        });
      }
      const settled = firstSure(head);
      if (settled) {
        results[i] = resultOf(merchant, ruleActions, settled);
        continue;
      }
      const open: Open = {
        index: i,
        merchant,
        ruleActions,
        head,
        features: useModel ? textFeatures(merchant.key, input.description, input.amount) : null,
        model: null,
        provider: providerCandidate(input),
        known: knownCandidate(input, merchant),
        keyword: null,
      };
      if (modelWantsVector) {
        open.keyword = keywordCandidate(input);
        pending.push(open);
        continue;
      }
      open.model = modelCandidate(open, null);
      // Most rows end here: the signals ahead of embeddings and keywords, without building lists.
      const { model, provider, known } = open;
      const cheap =
        (model && model.confidence >= strongModel && model.confidence >= minConfidence ? model : null) ??
        (provider && provider.confidence >= minConfidence ? provider : null) ??
        (known && known.confidence >= minConfidence ? known : null) ??
        (model && model.confidence >= trustModel && model.confidence >= minConfidence ? model : null);
      if (cheap) {
        results[i] = resultOf(merchant, ruleActions, cheap);
        continue;
      }
      open.keyword = keywordCandidate(input);
      // Embeddings are the slowest signal: asked only when nothing ahead of them decides.
      if (embedder) {
        pending.push(open);
        continue;
      }
      results[i] = decide(open, ordered(open, null));
    }

    if (embedder && pending.length > 0) {
      const [index, vectors] = await Promise.all([
        prototypeIndex(embedder),
        embedder.embed(pending.map((open) => embeddingText(inputs[open.index]!, open.merchant))),
      ]);
      pending.forEach((open, n) => {
        const vector = vectors[n]!;
        if (modelWantsVector) open.model = modelCandidate(open, vector);
        const near = index.nearest(vector);
        const prototype: Candidate | null = near
          ? {
              categoryId: near.categoryId,
              signal: 'embedding',
              confidence: prototypeConfidence(near.score),
              explanation: `close to ${names.get(near.categoryId) ?? near.categoryId} (${near.score.toFixed(2)})`,
            }
          : null;
        results[open.index] = decide(open, ordered(open, prototype));
      });
    }
    return results;
  }

  /**
   * The candidates of an open row by precedence. The learned model goes first when very sure,
   * after the provider and the merchant table when fairly sure, and after the embeddings and
   * keywords when unsure: a weak guess from a few corrections must not beat cold-start signals
   * on a merchant the user never corrected.
   */
  function ordered(open: Open, prototype: Candidate | null): Candidate[] {
    const { model } = open;
    const list = [...open.head];
    if (model && model.confidence >= strongModel) list.push(model);
    if (open.provider) list.push(open.provider);
    if (open.known) list.push(open.known);
    if (model && model.confidence >= trustModel && model.confidence < strongModel) list.push(model);
    // The surer of the two cold-start guesses first.
    const guesses = [prototype, open.keyword].filter((c): c is Candidate => c !== null);
    list.push(...guesses.sort((a, b) => b.confidence - a.confidence));
    if (model && model.confidence < trustModel) list.push(model);
    return list;
  }

  /**
   * A cosine with a category's description, as a confidence: `embeddingFloor` reads as 0.5, and
   * each 0.1 of cosine above it as 0.15 more. (With the bundled encoder about two in three
   * matches at a cosine of 0.4 to 0.5 are right, four in five above 0.5.)
   */
  function prototypeConfidence(score: number): number {
    return Math.min(0.95, Math.max(0, 0.5 + 1.5 * (score - embeddingFloor)));
  }

  function providerCandidate(input: CategorizeSubject): Candidate | null {
    const pfc = input.providerCategory;
    const provided = pfc ? mapPfc(pfc.primary, pfc.detailed) : null;
    if (!pfc || !provided || provided === UNCATEGORIZED) return null;
    return {
      categoryId: provided,
      signal: 'provider',
      confidence: pfcConfidence(pfc.confidenceLevel, 0.7),
      explanation: `Plaid: ${pfc.detailed || pfc.primary}`,
    };
  }

  function knownCandidate(input: CategorizeSubject, merchant: NormalizedMerchant): Candidate | null {
    const known =
      lookupMerchant(merchant.key) ??
      (input.merchantName ? lookupMerchant(normalizeMerchant(input.merchantName).key) : null);
    // Payroll money comes in; a payment to a payroll processor is something else.
    if (!known || (known.categoryId === 'income' && input.amount <= 0)) return null;
    const refund = input.amount > 0 && known.categoryId !== 'income' && known.categoryId !== 'transfer';
    return {
      categoryId: known.categoryId,
      signal: 'knowledge',
      confidence: KNOWLEDGE_CONFIDENCE,
      explanation: refund ? `refund from ${known.name}` : `known merchant ${known.name}`,
    };
  }

  function keywordCandidate(input: CategorizeSubject): Candidate | null {
    const keyword = matchKeywords(input.description, input.amount);
    return keyword
      ? {
          categoryId: keyword.categoryId,
          signal: 'keyword',
          confidence: KEYWORD_CONFIDENCE,
          explanation: `keyword '${keyword.word}'`,
        }
      : null;
  }

  function embeddingText(input: CategorizeSubject, merchant: NormalizedMerchant): string {
    // Lowercase: the bundled encoder expects it, and descriptors shout.
    return (merchant.name.length > 0 ? merchant.name : input.description).toLowerCase();
  }

  function firstSure(candidates: readonly Candidate[]): Candidate | undefined {
    for (const c of candidates) if (c.confidence >= minConfidence) return c;
    return undefined;
  }

  // Built field by field: spreading objects per row showed in profiles of 10,000-row batches.
  function resultOf(
    merchant: NormalizedMerchant,
    ruleActions: CategorizationResult['ruleActions'],
    c: Candidate,
  ): CategorizationResult {
    return {
      categoryId: c.categoryId,
      source: sourceOf[c.signal],
      signal: c.signal,
      confidence: c.confidence,
      explanation: c.explanation,
      needsReview: false,
      merchant,
      ruleActions,
    };
  }

  function decide(open: Open, candidates: Candidate[]): CategorizationResult {
    const { merchant, ruleActions } = open;
    const decided = firstSure(candidates);
    if (decided) return resultOf(merchant, ruleActions, decided);
    const best = candidates.reduce<Candidate | null>(
      (top, c) => (top === null || c.confidence > top.confidence ? c : top),
      null,
    );
    return {
      merchant,
      ruleActions,
      categoryId: UNCATEGORIZED,
      source: 'model',
      signal: 'none',
      confidence: best?.confidence ?? 0,
      explanation: best
        ? `needs review: best guess ${best.explanation} is not sure enough`
        : 'needs review: nothing recognised',
      needsReview: true,
    };
  }

  function suggestionFor(memoryName: string, categoryId: string): NewRule {
    return {
      name: `${memoryName}`.slice(0, 100),
      enabled: true,
      stage: 'default',
      priority: 0,
      match: 'all',
      conditions: [{ field: 'merchantName', op: 'equals', value: memoryName, caseSensitive: false }],
      actions: { categoryId },
    };
  }

  /** The user's rules compiled, read once per call that judges suggestions. */
  async function compiledRules(userId: string): Promise<CompiledRule[]> {
    return compileRules(await store.rules.list(userId));
  }

  function coveredByRule(compiled: CompiledRule[], name: string, categoryId: string): boolean {
    const outcome = evaluateRules(compiled, {
      description: name,
      merchantName: name,
      amount: -1,
      accountId: null,
      providerCategory: null,
      date: '2000-01-01',
    });
    return outcome.categoryId?.value === categoryId;
  }

  /** The corrected texts' embeddings for the neighbour model; null when it does not use them. */
  async function correctionVectors(
    corrections: readonly { transaction: CategorizeSubject }[],
    merchants: readonly NormalizedMerchant[],
  ): Promise<Float32Array[] | null> {
    if (!embedder || modelKind === 'linear') return null;
    try {
      return await embedder.embed(
        corrections.map(({ transaction }, i) => embeddingText(transaction, merchants[i]!)),
      );
    } catch {
      // The correction is the user's edit and must be kept: without its embedding the neighbour
      // model compares it by n-grams.
      return null;
    }
  }

  async function recordCorrections(
    userId: string,
    corrections: readonly { transaction: CategorizeSubject; categoryId: string }[],
  ): Promise<CorrectionOutcome[]> {
    if (corrections.length === 0) return [];
    const merchants = corrections.map(({ transaction }) => normalizeMerchant(transaction.description));
    const vectors = await correctionVectors(corrections, merchants);
    const keys = merchants.map((m) => m.key);
    const learner = await serially(userId, async () => {
      for (let attempt = 1; ; attempt++) {
        const cached = await learnerOf(userId);
        let saved: number | null;
        try {
          for (const [i, { transaction, categoryId }] of corrections.entries()) {
            const merchant = merchants[i]!;
            const name = transaction.merchantName ?? merchant.name;
            cached.learner.learn({
              key: merchant.key,
              name: name.length > 0 ? name : transaction.description,
              amount: transaction.amount,
              description: transaction.description,
              features: textFeatures(merchant.key, transaction.description, transaction.amount),
              vector: vectors?.[i] ?? null,
              categoryId,
            });
          }
          // The state is one document: saving it per correction would rewrite it N times.
          saved = await stateStore.save(userId, cached.learner.snapshot(), cached.version);
        } catch (error) {
          // The cached copy learned corrections the caller is told failed: drop it, or this
          // process would categorize by them and the next save would store them after all.
          learners.delete(userId);
          throw error;
        }
        if (saved !== null) {
          cached.version = saved;
          return cached.learner;
        }
        // Another process saved first: this copy holds corrections the store lacks and misses
        // theirs. Start again from what is stored.
        learners.delete(userId);
        if (attempt >= MAX_SAVE_ATTEMPTS) {
          throw new FinkitError('CONFLICT', 'The learned state kept changing while saving corrections', {
            details: { userId, attempts: attempt },
          });
        }
      }
    });
    const outcomes: CorrectionOutcome[] = [];
    const announced = new Set<string>();
    // Most corrections suggest nothing: the rules are read only for one that may.
    let rules: Promise<CompiledRule[]> | null = null;
    const rulesOnce = (): Promise<CompiledRule[]> => {
      rules ??= compiledRules(userId);
      return rules;
    };
    for (const [i, { categoryId }] of corrections.entries()) {
      const memory = learner.merchantMemory(keys[i]!);
      const suggest =
        memory &&
        memory.streak.categoryId === categoryId &&
        memory.streak.length === suggestAfter &&
        !coveredByRule(await rulesOnce(), memory.name, categoryId);
      const suggestedRule = suggest && memory ? suggestionFor(memory.name, categoryId) : null;
      // A batch may correct one merchant several times: one event for it.
      if (suggestedRule && memory && !announced.has(keys[i]!)) {
        announced.add(keys[i]!);
        await publishSuggestion(userId, { rule: suggestedRule, merchantName: memory.name, categoryId });
      }
      outcomes.push({ suggestedRule });
    }
    return outcomes;
  }

  async function recordCorrection(
    userId: string,
    transaction: CategorizeSubject,
    categoryId: string,
  ): Promise<CorrectionOutcome> {
    const [outcome] = await recordCorrections(userId, [{ transaction, categoryId }]);
    return outcome!;
  }

  async function* history(userId: string, filter: TransactionFilter): AsyncGenerator<Transaction[]> {
    let cursor: string | null = null;
    do {
      const page = await store.transactions.list(userId, filter, { limit: PAGE, cursor });
      yield page.items;
      cursor = page.nextCursor;
    } while (cursor !== null);
  }

  async function publishSuggestion(
    userId: string,
    data: { rule: NewRule; merchantName: string; categoryId: string },
  ): Promise<void> {
    if (!events) return;
    try {
      await events.publish({
        type: 'rule.suggested',
        userId,
        at: clock.now().toISOString(),
        data: { ...data, corrections: suggestAfter },
      });
    } catch {
      // The correction is saved; a bus that fails to deliver must not turn it into an error.
    }
  }

  async function publishUpdated(userId: string, changes: Map<string, Set<string>>): Promise<void> {
    if (!events) return;
    for (const [transactionId, fields] of changes) {
      try {
        await events.publish({
          type: 'transaction.updated',
          userId,
          at: clock.now().toISOString(),
          data: { transactionId, fields: [...fields] },
        });
      } catch {
        // Stored already; a bus that fails to deliver must not turn the write into an error.
      }
    }
  }

  async function recategorizeRows(userId: string, rows: Transaction[]): Promise<Transaction[]> {
    const results = await categorize(userId, rows);
    const bySource = new Map<FieldSource, { id: string; fields: Partial<EditableValues> }[]>();
    const changed = new Map<string, Set<string>>();
    const mark = (id: string, field: string): void => {
      const set = changed.get(id) ?? new Set<string>();
      set.add(field);
      changed.set(id, set);
    };
    const push = (source: FieldSource, id: string, fields: Partial<EditableValues>): void => {
      const list = bySource.get(source) ?? [];
      list.push({ id, fields });
      bySource.set(source, list);
    };
    rows.forEach((row, i) => {
      const result = results[i]!;
      if (result.source !== 'user' && row.sources.categoryId !== 'user') {
        const same =
          row.categoryId === result.categoryId &&
          row.categoryExplanation === result.explanation &&
          row.sources.categoryId === result.source;
        if (!same) {
          push(result.source, row.id, {
            categoryId: result.categoryId,
            categoryConfidence: result.confidence,
            categoryExplanation: result.explanation,
          });
          if (row.categoryId !== result.categoryId) mark(row.id, 'categoryId');
        }
      }
      const { merchantName, addTags, hidden } = result.ruleActions;
      const ruleFields: Partial<EditableValues> = {};
      if (merchantName !== null && merchantName !== row.merchantName && row.sources.merchantName !== 'user') {
        ruleFields.merchantName = merchantName;
        mark(row.id, 'merchantName');
      }
      const newTags = addTags.filter((t) => !row.tags.includes(t));
      if (newTags.length > 0 && row.sources.tags !== 'user') {
        ruleFields.tags = [...row.tags, ...newTags];
        mark(row.id, 'tags');
      }
      if (hidden !== null && hidden !== row.hidden && row.sources.hidden !== 'user') {
        ruleFields.hidden = hidden;
        mark(row.id, 'hidden');
      }
      if (Object.keys(ruleFields).length > 0) push('rule', row.id, ruleFields);
    });
    const updated = new Map<string, Transaction>();
    for (const [source, edits] of bySource) {
      for (const row of await store.transactions.edit(userId, edits, source)) updated.set(row.id, row);
    }
    await publishUpdated(userId, changed);
    return [...updated.values()];
  }

  async function toRule(userId: string, input: Rule | NewRule): Promise<Rule> {
    if ('id' in input && 'userId' in input) return input as Rule;
    const parsed = parseInput(newRuleSchema, input, 'rule');
    const now = clock.now();
    return { ...parsed, id: 'preview', userId, createdAt: now, updatedAt: now };
  }

  async function ruleChanges(userId: string, rule: Rule): Promise<RuleChange[]> {
    const compiled = compileRule(rule);
    const changes: RuleChange[] = [];
    const { actions } = rule;
    for await (const rows of history(userId, { includeHidden: true })) {
      for (const row of rows) {
        const merchant = normalizeMerchant(row.description);
        if (!compiled.matches(subjectOf(row, merchant))) continue;
        const change: RuleChange = { transactionId: row.id };
        if (
          actions.categoryId !== undefined &&
          row.sources.categoryId !== 'user' &&
          row.categoryId !== actions.categoryId
        ) {
          change.categoryId = { from: row.categoryId, to: actions.categoryId };
        }
        if (
          actions.merchantName !== undefined &&
          row.sources.merchantName !== 'user' &&
          row.merchantName !== actions.merchantName
        ) {
          change.merchantName = { from: row.merchantName, to: actions.merchantName };
        }
        const newTags = (actions.addTags ?? []).filter((t) => !row.tags.includes(t));
        if (newTags.length > 0 && row.sources.tags !== 'user') change.addTags = newTags;
        if (actions.hidden !== undefined && row.sources.hidden !== 'user' && row.hidden !== actions.hidden) {
          change.hidden = { from: row.hidden, to: actions.hidden };
        }
        if (Object.keys(change).length > 1) changes.push(change);
      }
    }
    return changes;
  }

  return {
    categorize,
    recordCorrection,
    recordCorrections,

    async suggestRules(userId) {
      const [{ learner }, compiled] = await Promise.all([learnerOf(userId), compiledRules(userId)]);
      const out: NewRule[] = [];
      // Read in place: a snapshot would encode every stored embedding to look at the merchants.
      for (const [key, { name, streak }] of learner.merchantMemories()) {
        if (key.includes('|') || streak.length < suggestAfter) continue;
        if (coveredByRule(compiled, name, streak.categoryId)) continue;
        out.push(suggestionFor(name, streak.categoryId));
      }
      return out;
    },

    async recategorize(userId, target) {
      if ('ids' in target) {
        const rows: Transaction[] = [];
        for (const id of new Set(target.ids)) {
          const row = await store.transactions.get(userId, id);
          if (!row || row.removedAt) throw notFound('Transaction', id);
          rows.push(row);
        }
        return { examined: rows.length, updated: await recategorizeRows(userId, rows) };
      }
      let examined = 0;
      const updated: Transaction[] = [];
      // Collected first: writing while paging would move rows between pages of a category filter.
      const all: Transaction[] = [];
      for await (const rows of history(userId, target.filter)) all.push(...rows);
      for (let i = 0; i < all.length; i += PAGE) {
        const chunk = all.slice(i, i + PAGE);
        examined += chunk.length;
        updated.push(...(await recategorizeRows(userId, chunk)));
      }
      return { examined, updated };
    },

    async previewRule(userId, input) {
      return ruleChanges(userId, await toRule(userId, input));
    },

    async applyRuleToHistory(userId, ruleId) {
      const rule = await store.rules.get(userId, ruleId);
      if (!rule) throw notFound('Rule', ruleId);
      if (!rule.enabled) {
        throw new FinkitError('VALIDATION', `Rule ${rule.name} is disabled`, { details: { ruleId } });
      }
      const changes = await ruleChanges(userId, rule);
      if (changes.length === 0) return [];
      const rows = new Map<string, Transaction>();
      for await (const page of history(userId, { includeHidden: true })) {
        for (const row of page) rows.set(row.id, row);
      }
      const edits = changes.map((change) => {
        const fields: Partial<EditableValues> = {};
        if (change.categoryId) {
          fields.categoryId = change.categoryId.to;
          fields.categoryConfidence = 1;
          fields.categoryExplanation = `rule '${rule.name}'`;
        }
        if (change.merchantName) fields.merchantName = change.merchantName.to;
        if (change.addTags)
          fields.tags = [...(rows.get(change.transactionId)?.tags ?? []), ...change.addTags];
        if (change.hidden) fields.hidden = change.hidden.to;
        return { id: change.transactionId, fields };
      });
      const updated = await store.transactions.edit(userId, edits, 'rule');
      await publishUpdated(
        userId,
        new Map(
          changes.map((c) => [
            c.transactionId,
            new Set(
              (['categoryId', 'merchantName', 'addTags', 'hidden'] as const)
                .filter((f) => c[f] !== undefined)
                .map((f) => (f === 'addTags' ? 'tags' : f)),
            ),
          ]),
        ),
      );
      return updated;
    },
  };
}
