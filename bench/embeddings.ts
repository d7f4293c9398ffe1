/*
 * The bundled embedder (USE lite, TensorFlow.js wasm) on 1,000 bank-descriptor texts: model
 * load, uncached throughput by batch size, the cached embedder cold and warm, and peak RSS.
 * Run: npx tsx --conditions=source bench/embeddings.ts [texts]
 */
import { performance } from 'node:perf_hooks';
import { createBundledEmbedder, createCachedEmbedder } from '@finkit/embeddings';
import { printTable } from './print-table.js';

const merchants = [
  'STARBUCKS',
  'BLUE BOTTLE COFFEE',
  'SHELL OIL',
  'CHEVRON',
  'AMZN Mktp US',
  'WHOLE FOODS MARKET',
  'TRADER JOE S',
  'UBER TRIP',
  'LYFT RIDE',
  'NETFLIX.COM',
  'SPOTIFY USA',
  'COMCAST CABLE',
  'PG&E WEB ONLINE',
  'GUSTO PAYROLL',
  'VENMO PAYMENT',
  'CVS PHARMACY',
  'HOME DEPOT',
  'DELTA AIR LINES',
  'MARRIOTT HOTEL',
  'PLANET FITNESS',
];
const cities = ['SAN FRANCISCO CA', 'NEW YORK NY', 'AUSTIN TX', 'SEATTLE WA', 'CHICAGO IL'];

/** Distinct, realistic-looking descriptors: merchant, store number, city. */
function descriptors(count: number, salt: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const merchant = merchants[i % merchants.length]!;
    const city = cities[Math.floor(i / merchants.length) % cities.length]!;
    return `POS DEBIT ${merchant} #${salt + i} ${city}`;
  });
}

type Row = Record<string, string | number>;

/** Wall time and CPU time: this machine is shared, so CPU per text is the steadier number. */
async function measure(label: string, count: number, run: () => Promise<unknown>): Promise<Row> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await run();
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return {
    case: label,
    texts: count,
    'wall ms': Math.round(ms),
    'texts/s': Math.round((count / ms) * 1000),
    'cpu ms/text': ((used.user + used.system) / 1000 / count).toFixed(2),
  };
}

const peakRssMb = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

export async function runEmbeddingsBench(count = 1_000): Promise<Row[]> {
  // One model for every case; batch sizes are varied by the cached embedder in front of it.
  const model = createBundledEmbedder({ batchSize: 1_024 });
  const rows: Row[] = [await measure('model load + first text', 1, () => model.embed(['warm up']))];

  const cached = createCachedEmbedder(model);
  const texts = descriptors(count, 1);
  rows.push(await measure('cold: cached embedder, all misses (batch 64)', count, () => cached.embed(texts)));
  // Bank feeds repeat: the same texts again, in other case and spacing.
  const variants = texts.map((t) => `  ${t.toLowerCase().replaceAll(' ', '  ')} `);
  rows.push(await measure('cached: same texts, all hits', count, () => cached.embed(variants)));
  const peak = peakRssMb();

  const wide = createCachedEmbedder(model, { batchSize: 256 });
  const others = descriptors(count, 100_000);
  rows.push(await measure('cold, batch 256', count, () => wide.embed(others)));

  rows.push({
    case: 'peak RSS (MB), model loaded, batch 64',
    texts: '-',
    'wall ms': '-',
    'texts/s': '-',
    'cpu ms/text': peak,
  });
  rows.push({
    case: 'peak RSS (MB) after batch 256',
    texts: '-',
    'wall ms': '-',
    'texts/s': '-',
    'cpu ms/text': peakRssMb(),
  });
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const count = Number(process.argv[2] ?? 1_000);
  printTable(
    `embeddings: bundled USE lite, ${count} texts (node ${process.version})`,
    await runEmbeddingsBench(count),
  );
}
