/**
 * Measures categorization quality through finkit's public API.
 *
 *   npx tsx --conditions=source scripts/eval-categorize.ts <file.csv>
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
import { pathToFileURL } from 'node:url';
import {
  type BankProvider,
  createFinkit,
  createMemoryStore,
  createTokenCipher,
  type Embedder,
  type Finkit,
  generateTokenKey,
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

async function createHarness(userId: string, embedder: Embedder | undefined): Promise<Harness> {
  const store = createMemoryStore();
  const finkit = createFinkit({
    store,
    provider: noProvider,
    cipher: createTokenCipher({ keys: { k: generateTokenKey() }, primaryKeyId: 'k' }),
    ...(embedder ? { embedder } : {}),
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
): Promise<string[]> {
  const out: string[] = [];
  for (const [index] of rows)
    out.push((await h.finkit.transactions.get(userId, h.ids.get(`t${index}`)!)).categoryId);
  return out;
}

const round = (n: number): number => Math.round(n * 1000) / 1000;

export async function runCategorizeEval(
  rows: readonly EvalRow[],
  options: { embedder?: Embedder } = {},
): Promise<EvalReport> {
  const indexed = rows.map((row, i) => [i, row] as [number, EvalRow]);

  const cold = await createHarness('cold', options.embedder);
  const coldIds = await labelIds(cold.finkit, 'cold');
  const truthOf = (row: EvalRow, ids: Map<string, string>): string => {
    const id = ids.get(row.label.toLowerCase());
    if (!id) throw new Error(`Unknown label ${row.label}`);
    return id;
  };
  await arrive(cold, 'cold', indexed);
  const coldPredicted = await categoriesOf(cold, 'cold', indexed);
  const coldScores = score(
    indexed.map(([, r]) => truthOf(r, coldIds)),
    coldPredicted,
  );
  const coverage =
    coldPredicted.filter((c) => c !== 'uncategorized').length / Math.max(1, coldPredicted.length);

  const sorted = [...indexed].sort(([ia, a], [ib, b]) =>
    a.date < b.date ? -1 : a.date > b.date ? 1 : ia - ib,
  );
  const cut = Math.floor(sorted.length * 0.7);
  const train = sorted.slice(0, cut);
  const test = sorted.slice(cut);
  const learn = await createHarness('learner', options.embedder);
  const ids = await labelIds(learn.finkit, 'learner');
  await arrive(learn, 'learner', train);
  let corrections = 0;
  const trainPredicted = await categoriesOf(learn, 'learner', train);
  for (const [n, [index, row]] of train.entries()) {
    const label = truthOf(row, ids);
    if (trainPredicted[n] === label) continue;
    await learn.finkit.transactions.edit('learner', learn.ids.get(`t${index}`)!, { categoryId: label });
    corrections++;
  }
  await arrive(learn, 'learner', test);
  const testPredicted = await categoriesOf(learn, 'learner', test);
  const testTruth = test.map(([, r]) => truthOf(r, ids));
  const seen = new Set(train.map(([, r]) => normalizeMerchant(r.description).key));
  const unseen = test
    .map(([, r], i) => [i, !seen.has(normalizeMerchant(r.description).key)] as const)
    .filter(([, u]) => u);
  const unseenCorrect = unseen.filter(([i]) => testPredicted[i] === testTruth[i]).length;
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
  };
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: tsx --conditions=source scripts/eval-categorize.ts <file.csv>\n');
    process.exit(2);
  }
  const report = await runCategorizeEval(parseEvalCsv(readFileSync(file, 'utf8')));
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}
