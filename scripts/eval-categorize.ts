/**
 * Measures categorization quality through finkit's public API.
 *
 *   pnpm eval:categorize <file.csv> [--embedder bundled|none] [--model linear|neighbours|blend]
 *                        [--compare] [--mistakes]
 *
 * Uses the bundled offline embedder unless `--embedder none`. `--compare` prints every learned
 * model with and without the embedder as a table.
 *
 * The CSV has `date,description,amount_minor,label[,account]`; labels are finkit's default
 * category names. Prints JSON with two scenarios:
 * - coldStart: a fresh user; every row arrives by sync and is categorized.
 * - learning: rows by date; the first 70% arrive by sync and the user corrects every row whose
 *   category is not its label (through `transactions.edit`, as in the app); the last 30% then
 *   arrive by sync and are categorized. `unseenMerchantAccuracy` counts rows whose merchant never
 *   appeared in the first 70%.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import {
  type BankProvider,
  createCategorizer,
  createFinkit,
  createMemoryStore,
  createStoreLearnerState,
  createTokenCipher,
  type Embedder,
  type Finkit,
  generateTokenKey,
  type LearnedModelKind,
  normalizeMerchant,
  type Store,
} from '../packages/core/src/index.js';

export interface EvalRow {
  date: string;
  description: string;
  amount: number;
  label: string;
  account: string;
}

export interface Scores {
  accuracy: number;
  macroF1: number;
}

export interface EvalReport {
  rows: number;
  coldStart: Scores & { coverage: number };
  learning: Scores & {
    unseenMerchantAccuracy: number;
    corrections: number;
    trainRows: number;
    testRows: number;
  };
  mistakes?: { coldStart: EvalMistake[]; learningUnseen: EvalMistake[]; learningSeen: EvalMistake[] };
}

/** Splits one CSV line, honouring double quotes. */
function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out;
}

export function parseEvalCsv(text: string): EvalRow[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim().length > 0);
  const header = splitCsvLine(lines[0] ?? '').map((h) => h.trim().toLowerCase());
  const col = (name: string): number => header.indexOf(name);
  for (const required of ['date', 'description', 'amount_minor', 'label']) {
    if (col(required) < 0) throw new Error(`CSV lacks the column ${required}`);
  }
  return lines.slice(1).map((line, i) => {
    const cells = splitCsvLine(line);
    const amount = Number(cells[col('amount_minor')]);
    if (!Number.isSafeInteger(amount)) throw new Error(`Row ${i + 2}: amount_minor is not an integer`);
    return {
      date: cells[col('date')]!.trim(),
      description: cells[col('description')]!,
      amount,
      label: cells[col('label')]!.trim(),
      account: col('account') >= 0 ? (cells[col('account')] ?? 'default').trim() || 'default' : 'default',
    };
  });
}

// Nothing here talks to a bank: rows arrive through the store's sync write, then are categorized
// through the facade exactly as the sync engine's hook would.
const noProvider = new Proxy({ id: 'eval', capabilities: { webhooks: false } } as BankProvider, {
  get(target, key) {
    if (key in target) return target[key as keyof BankProvider];
    return () => {
      throw new Error(`The eval does not call the provider (${String(key)})`);
    };
  },
});

interface Harness {
  finkit: Finkit;
  store: Store;
  connectionId: string;
  ids: Map<string, string>;
}

export interface EvalOptions {
  embedder?: Embedder;
  /** The learned model to use; the categorizer's default when absent. */
  model?: LearnedModelKind;
  /** Also list the wrongly categorized rows. */
  mistakes?: boolean;
}

async function createHarness(userId: string, options: EvalOptions): Promise<Harness> {
  const store = createMemoryStore();
  const { embedder, model } = options;
  const finkit = createFinkit({
    store,
    provider: noProvider,
    cipher: createTokenCipher({ keys: { k: generateTokenKey() }, primaryKeyId: 'k' }),
    ...(embedder ? { embedder } : {}),
    categorizer: createCategorizer({
      store,
      embedder: embedder ?? null,
      learner: createStoreLearnerState(store),
      ...(model ? { model } : {}),
    }),
  });
  const connection = await store.connections.create({
    userId,
    provider: 'eval',
    providerItemId: `item-${userId}`,
    institutionId: null,
    institutionName: 'Eval Bank',
    encryptedAccessToken: 'unused',
  });
  return { finkit, store, connectionId: connection.id, ids: new Map() };
}

let cursor = 0;
/** Loads rows as a sync would (placeholder category from the provider), then categorizes them. */
async function arrive(h: Harness, userId: string, rows: readonly [number, EvalRow][]): Promise<void> {
  const accounts = [...new Set(rows.map(([, r]) => r.account))];
  const result = await h.store.applySyncBatch({
    userId,
    connectionId: h.connectionId,
    nextCursor: `c${++cursor}`,
    accounts: accounts.map((id) => ({
      providerAccountId: id,
      name: id,
      officialName: null,
      type: 'depository',
      subtype: 'checking',
      mask: null,
      currency: 'USD',
      balances: { current: 0, available: 0, limit: null, currency: 'USD', asOf: new Date(0) },
    })),
    upserts: rows.map(([index, row]) => ({
      providerTransactionId: `t${index}`,
      providerAccountId: row.account,
      pendingTransactionId: null,
      date: row.date,
      authorizedDate: null,
      amount: row.amount,
      currency: 'USD',
      description: row.description,
      merchantName: null,
      pending: false,
      providerCategory: null,
      categoryId: 'uncategorized',
      categoryConfidence: 0,
      categoryExplanation: 'not categorized yet',
      tags: [],
      hidden: false,
      sources: { categoryId: 'provider' },
    })),
    removed: [],
    syncedAt: new Date(0),
  });
  if (result.added.length !== rows.length) throw new Error('Every eval row must be new');
  const stored = await h.store.transactions.getByProviderIds(
    userId,
    h.connectionId,
    rows.map(([index]) => `t${index}`),
  );
  for (const row of stored) h.ids.set(row.providerTransactionId, row.id);
  const ids = rows.map(([index]) => h.ids.get(`t${index}`)!);
  for (let i = 0; i < ids.length; i += 5000) {
    await h.finkit.transactions.categorize(userId, { ids: ids.slice(i, i + 5000) });
  }
}

function score(truth: readonly string[], predicted: readonly string[]): Scores {
  let correct = 0;
  const classes = new Set(truth);
  const tp = new Map<string, number>();
  const fp = new Map<string, number>();
  const fn = new Map<string, number>();
  truth.forEach((t, i) => {
    const p = predicted[i]!;
    if (p === t) {
      correct++;
      tp.set(t, (tp.get(t) ?? 0) + 1);
    } else {
      fp.set(p, (fp.get(p) ?? 0) + 1);
      fn.set(t, (fn.get(t) ?? 0) + 1);
    }
  });
  let f1Sum = 0;
  for (const c of classes) {
    const t = tp.get(c) ?? 0;
    const precision = t + (fp.get(c) ?? 0) === 0 ? 0 : t / (t + (fp.get(c) ?? 0));
    const recall = t / (t + (fn.get(c) ?? 0));
    f1Sum += precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  }
  return {
    accuracy: truth.length === 0 ? 0 : correct / truth.length,
    macroF1: classes.size === 0 ? 0 : f1Sum / classes.size,
  };
}

async function labelIds(finkit: Finkit, userId: string): Promise<Map<string, string>> {
  const categories = await finkit.categories.list(userId);
  return new Map(categories.map((c) => [c.name.toLowerCase(), c.id]));
}

async function categoriesOf(
  h: Harness,
  userId: string,
  rows: readonly [number, EvalRow][],
): Promise<{ categoryId: string; explanation: string }[]> {
  const out: { categoryId: string; explanation: string }[] = [];
  for (const [index] of rows) {
    const row = await h.finkit.transactions.get(userId, h.ids.get(`t${index}`)!);
    out.push({ categoryId: row.categoryId, explanation: row.categoryExplanation });
  }
  return out;
}

/** One wrongly categorized row, to see why. */
export interface EvalMistake {
  description: string;
  label: string;
  predicted: string;
  explanation: string;
}

function mistakesOf(
  rows: readonly [number, EvalRow][],
  truth: readonly string[],
  predicted: readonly { categoryId: string; explanation: string }[],
  keep: (i: number) => boolean = () => true,
): EvalMistake[] {
  return rows.flatMap(([, row], i) =>
    predicted[i]!.categoryId === truth[i] || !keep(i)
      ? []
      : [
          {
            description: row.description,
            label: truth[i]!,
            predicted: predicted[i]!.categoryId,
            explanation: predicted[i]!.explanation,
          },
        ],
  );
}

const round = (n: number): number => Math.round(n * 1000) / 1000;

export async function runCategorizeEval(
  rows: readonly EvalRow[],
  options: EvalOptions = {},
): Promise<EvalReport> {
  const indexed = rows.map((row, i) => [i, row] as [number, EvalRow]);

  const cold = await createHarness('cold', options);
  const coldIds = await labelIds(cold.finkit, 'cold');
  const truthOf = (row: EvalRow, ids: Map<string, string>): string => {
    const id = ids.get(row.label.toLowerCase());
    if (!id) throw new Error(`Unknown label ${row.label}`);
    return id;
  };
  await arrive(cold, 'cold', indexed);
  const coldFound = await categoriesOf(cold, 'cold', indexed);
  const coldPredicted = coldFound.map((p) => p.categoryId);
  const coldTruth = indexed.map(([, r]) => truthOf(r, coldIds));
  const coldScores = score(coldTruth, coldPredicted);
  const coverage =
    coldPredicted.filter((c) => c !== 'uncategorized').length / Math.max(1, coldPredicted.length);

  const sorted = [...indexed].sort(([ia, a], [ib, b]) =>
    a.date < b.date ? -1 : a.date > b.date ? 1 : ia - ib,
  );
  const cut = Math.floor(sorted.length * 0.7);
  const train = sorted.slice(0, cut);
  const test = sorted.slice(cut);
  const learn = await createHarness('learner', options);
  const ids = await labelIds(learn.finkit, 'learner');
  await arrive(learn, 'learner', train);
  let corrections = 0;
  const trainPredicted = await categoriesOf(learn, 'learner', train);
  for (const [n, [index, row]] of train.entries()) {
    const label = truthOf(row, ids);
    if (trainPredicted[n]!.categoryId === label) continue;
    await learn.finkit.transactions.edit('learner', learn.ids.get(`t${index}`)!, { categoryId: label });
    corrections++;
  }
  await arrive(learn, 'learner', test);
  const testFound = await categoriesOf(learn, 'learner', test);
  const testPredicted = testFound.map((p) => p.categoryId);
  const testTruth = test.map(([, r]) => truthOf(r, ids));
  const seen = new Set(train.map(([, r]) => normalizeMerchant(r.description).key));
  const isUnseen = test.map(([, r]) => !seen.has(normalizeMerchant(r.description).key));
  const unseen = isUnseen.flatMap((u, i) => (u ? [i] : []));
  const unseenCorrect = unseen.filter((i) => testPredicted[i] === testTruth[i]).length;
  const learning = score(testTruth, testPredicted);
  await cold.finkit.close();
  await learn.finkit.close();
  return {
    rows: rows.length,
    coldStart: {
      accuracy: round(coldScores.accuracy),
      macroF1: round(coldScores.macroF1),
      coverage: round(coverage),
    },
    learning: {
      accuracy: round(learning.accuracy),
      macroF1: round(learning.macroF1),
      unseenMerchantAccuracy: round(unseen.length === 0 ? 0 : unseenCorrect / unseen.length),
      corrections,
      trainRows: train.length,
      testRows: test.length,
    },
    ...(options.mistakes
      ? {
          mistakes: {
            coldStart: mistakesOf(indexed, coldTruth, coldFound),
            learningUnseen: mistakesOf(test, testTruth, testFound, (i) => isUnseen[i]!),
            learningSeen: mistakesOf(test, testTruth, testFound, (i) => !isUnseen[i]!),
          },
        }
      : {}),
  };
}

const usage = `usage: pnpm eval:categorize <file.csv> [--embedder bundled|none] [--model linear|neighbours|blend]
                    [--compare] [--mistakes]
  --embedder  bundled (default): @finkit/embeddings' offline sentence encoder, cached; none: no embedder
  --model     the learned model (default: the categorizer's default)
  --compare   every model with and without the embedder, as a Markdown table
  --mistakes  also list the wrongly categorized rows
`;

async function bundledEmbedder(): Promise<Embedder> {
  // Imported by path: the repository root does not depend on @finkit/embeddings, and core must not.
  const embeddings = await import('../packages/embeddings/src/index.js');
  return embeddings.createCachedEmbedder(embeddings.createBundledEmbedder(), { maxEntries: 100_000 });
}

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

async function main(args: string[]): Promise<void> {
  const file = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.match(/^--(embedder|model)$/));
  const embedderName = option(args, '--embedder') ?? 'bundled';
  const model = option(args, '--model') as LearnedModelKind | undefined;
  if (
    !file ||
    !['bundled', 'none'].includes(embedderName) ||
    (model !== undefined && !['linear', 'neighbours', 'blend'].includes(model))
  ) {
    process.stderr.write(usage);
    process.exit(2);
  }
  const rows = parseEvalCsv(readFileSync(file, 'utf8'));
  if (args.includes('--compare')) {
    const embedder = await bundledEmbedder();
    const lines = [
      '| embedder | model | cold-start acc | coverage | learning acc | never-seen acc | learning macro-F1 | seconds |',
      '|---|---|---|---|---|---|---|---|',
    ];
    for (const [name, withEmbedder] of [
      ['none', undefined],
      ['bundled', embedder],
    ] as const) {
      for (const kind of ['linear', 'neighbours', 'blend'] as const) {
        const started = performance.now();
        const r = await runCategorizeEval(rows, {
          model: kind,
          ...(withEmbedder ? { embedder: withEmbedder } : {}),
        });
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        lines.push(
          `| ${name} | ${kind} | ${r.coldStart.accuracy} | ${r.coldStart.coverage} | ${r.learning.accuracy} | ${r.learning.unseenMerchantAccuracy} | ${r.learning.macroF1} | ${seconds} |`,
        );
      }
    }
    process.stdout.write(`${rows.length} rows\n${lines.join('\n')}\n`);
    return;
  }
  const report = await runCategorizeEval(rows, {
    ...(embedderName === 'bundled' ? { embedder: await bundledEmbedder() } : {}),
    ...(model ? { model } : {}),
    mistakes: args.includes('--mistakes'),
  });
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) await main(process.argv.slice(2));
