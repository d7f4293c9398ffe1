/*
 * Categorization throughput on the memory store, per batch of 10,000 transactions of one user.
 * Run: npx tsx --conditions=source bench/categorize.ts [transactions] [bundled-embedder transactions]
 * Cases: cold (provider + merchant table + keywords), with 20 rules and 200 learned
 * corrections (merchant memory + linear n-gram model, or neighbours by n-grams), and with a test
 * embedder (hashed trigrams) for the rows nothing cheaper settles. `perCpuSecond` divides by the
 * process's CPU time rather than wall time, which is what one core does on a loaded machine.
 */
import { performance } from 'node:perf_hooks';
import { createBundledEmbedder, createCachedEmbedder } from '@finkit/embeddings';
import {
  type CategorizeSubject,
  createCategorizer,
  createMemoryLearnerStateStore,
  createMemoryStore,
  type Embedder,
} from '../packages/core/src/index.js';
import { printTable } from './print-table.js';

const userId = 'bench-user';
const size = Number(process.argv[2] ?? 10_000);
// The bundled encoder costs milliseconds per text: its cases use fewer rows, all distinct merchants.
const bundledSize = Number(process.argv[3] ?? 1_000);

const descriptors = [
  'SQ *BLUE BOTTLE COFFEE OAKLAND CA',
  'STARBUCKS STORE 05123 SEATTLE WA',
  'PURCHASE AUTHORIZED ON 03/12 SAFEWAY #1234 OAKLAND CA S384071234567890 CARD 1234',
  'AMZN Mktp US*2K3LL1ZQ2',
  'SHELL OIL 57444213405 HOUSTON TX',
  'ACH CREDIT GUSTO PAYROLL 123456',
  'VENMO PAYMENT 1012345678 WEB ID: 3264681992',
  'TST* LOCAL TAQUERIA 12 OAKLAND CA',
  'ROCKRIDGE HAIR SALON OAKLAND CA',
  'XJQ HOLDINGS 4471',
  'PGANDE WEB ONLINE 800-743-5000 CA',
  'NEIGHBORHOOD CO-OP BERKELEY CA',
];

function batch(n: number, seed: number): CategorizeSubject[] {
  return Array.from({ length: n }, (_, i) => {
    const base = descriptors[(i * 7 + seed) % descriptors.length]!;
    // Distinct descriptors, as real feeds have (store numbers, dates), so no per-batch cache hides work.
    const description = `${base} ${1000 + ((i * 31 + seed) % 9000)}`;
    const withPfc = i % 3 === 0;
    return {
      description,
      amount: i % 17 === 0 ? 250_000 : -(100 + ((i * 131) % 20_000)),
      date: `2024-03-${String(1 + (i % 28)).padStart(2, '0')}`,
      providerCategory: withPfc
        ? {
            primary: 'FOOD_AND_DRINK',
            detailed: 'FOOD_AND_DRINK_RESTAURANT',
            confidenceLevel: 'LOW',
            version: 'v2',
          }
        : null,
    };
  });
}

function createTrigramEmbedder(dimensions = 256): Embedder {
  return {
    id: 'bench-trigram',
    dimensions,
    async embed(texts) {
      return texts.map((text) => {
        const v = new Float32Array(dimensions);
        const padded = ` ${text} `;
        for (let i = 0; i + 3 <= padded.length; i++) {
          let h = 2166136261;
          for (let j = i; j < i + 3; j++) h = Math.imul(h ^ padded.charCodeAt(j), 16777619);
          v[(h >>> 0) % dimensions]! += 1;
        }
        let norm = 0;
        for (const x of v) norm += x * x;
        norm = Math.sqrt(norm) || 1;
        for (let i = 0; i < dimensions; i++) v[i]! /= norm;
        return v;
      });
    },
  };
}

async function measure(
  name: string,
  categorizer: ReturnType<typeof createCategorizer>,
): Promise<Record<string, string | number>> {
  await categorizer.categorize(userId, batch(1000, 99)); // warm-up: JIT, prototypes
  const times: number[] = [];
  const cpu: number[] = [];
  let review = 0;
  for (let run = 0; run < 5; run++) {
    const inputs = batch(size, run);
    const started = performance.now();
    const cpuStart = process.cpuUsage();
    const results = await categorizer.categorize(userId, inputs);
    const used = process.cpuUsage(cpuStart);
    times.push(performance.now() - started);
    cpu.push((used.user + used.system) / 1000);
    review = results.filter((r) => r.needsReview).length;
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const median = times[2]!;
  return {
    case: name,
    transactions: size,
    medianMs: Math.round(median),
    minMs: Math.round(times[0]!),
    perSecond: Math.round((size / median) * 1000),
    // CPU time, not wall time: on a shared, loaded machine this is what one core does.
    cpuMs: Math.round(cpu[2]!),
    perCpuSecond: Math.round((size / cpu[2]!) * 1000),
    needsReview: review,
  };
}

const rows: Record<string, string | number>[] = [];
const store = createMemoryStore();
rows.push(await measure('cold: provider + table + keywords', createCategorizer({ store })));

const learner = createMemoryLearnerStateStore();
const trained = createCategorizer({ store, learner });
for (let i = 0; i < 20; i++) {
  await store.rules.create(userId, {
    name: `Rule ${i}`,
    enabled: true,
    stage: 'default',
    priority: i,
    match: 'any',
    conditions: [
      { field: 'description', op: 'contains', value: `merchant${i}`, caseSensitive: false },
      { field: 'amount', op: 'between', value: 100 * i, max: 100 * i + 50 },
    ],
    actions: { categoryId: 'shopping', addTags: ['bench'] },
  });
}
const categories = ['food_and_dining', 'shopping', 'entertainment', 'personal_care', 'education'];
for (let i = 0; i < 200; i++) {
  await trained.recordCorrection(
    userId,
    { description: `${descriptors[i % descriptors.length]} ${i}`, amount: -500, date: '2024-02-01' },
    categories[i % categories.length]!,
  );
}
rows.push(await measure('20 rules + 200 corrections (memory + n-gram model)', trained));
const neighbours = createCategorizer({ store, learner, model: 'neighbours' });
rows.push(await measure('20 rules + 200 corrections (memory + n-gram neighbours)', neighbours));
rows.push(
  await measure(
    'cold + test embedder (trigram, 256-d)',
    createCategorizer({ store: createMemoryStore(), embedder: createTrigramEmbedder() }),
  ),
);
printTable(`Categorization, ${size.toLocaleString('en-US')} transactions per call (median of 5)`, rows);

// Distinct made-up local merchants (no table entry, no provider category): every row reaches the
// embedder, the worst case. Cold = each text embedded for the first time; cached = the same rows
// again through the cached embedder.
const first = ['BLUE', 'GOLDEN', 'SILVER', 'RED', 'GREEN', 'LITTLE', 'OLD', 'NEW', 'NORTH', 'LUCKY'];
const second = ['HERON', 'LOTUS', 'OAK', 'RIVER', 'STONE', 'MAPLE', 'FOX', 'CEDAR', 'HARBOR', 'WILLOW'];
const third = ['CAFE', 'STUDIO', 'GOODS', 'HOUSE', 'WORKS', 'SUPPLY', 'GARDEN', 'CLUB', 'MARKET', 'SHOP'];
const distinct: CategorizeSubject[] = Array.from({ length: bundledSize }, (_, i) => ({
  description: `SQ *${first[i % 10]} ${second[Math.floor(i / 10) % 10]} ${third[Math.floor(i / 100) % 10]} ${
    Math.floor(i / 1000) || ''
  } OAKLAND CA`.replace(/ +/g, ' '),
  amount: -(500 + ((i * 37) % 9_000)),
  date: '2024-03-05',
}));
const bundled = createCachedEmbedder(createBundledEmbedder(), { maxEntries: 100_000 });
const loadStart = performance.now();
await bundled.embed(['warm up the model']);
const loadMs = performance.now() - loadStart;
const withModel = createCategorizer({ store: createMemoryStore(), embedder: bundled });
const modelRows: Record<string, string | number>[] = [];
for (const name of ['cold (uncached texts)', 'cached (same rows again)']) {
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const results = await withModel.categorize(userId, distinct);
  const used = process.cpuUsage(cpuStart);
  const ms = performance.now() - started;
  const cpuMs = (used.user + used.system) / 1000;
  modelRows.push({
    case: `bundled embedder (USE lite), ${name}`,
    transactions: bundledSize,
    ms: Math.round(ms),
    perSecond: Math.round((bundledSize / ms) * 1000),
    cpuMs: Math.round(cpuMs),
    perCpuSecond: Math.round((bundledSize / cpuMs) * 1000),
    needsReview: results.filter((r) => r.needsReview).length,
  });
}
modelRows.push({
  case: `model load ${Math.round(loadMs)} ms; peak RSS (MB)`,
  transactions: '',
  ms: '',
  perSecond: Math.round(process.resourceUsage().maxRSS / 1024),
  cpuMs: '',
  perCpuSecond: '',
  needsReview: '',
});
printTable(
  `Categorization with the bundled embedder, ${bundledSize.toLocaleString('en-US')} distinct merchants per call`,
  modelRows,
);
