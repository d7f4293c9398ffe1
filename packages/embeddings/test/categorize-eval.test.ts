import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseEvalCsv, runCategorizeEval } from '../../../scripts/eval-categorize.js';
import { createBundledEmbedder } from '../src/create-bundled-embedder.js';
import { createCachedEmbedder } from '../src/create-cached-embedder.js';

const sample = fileURLToPath(new URL('../../core/test/fixtures/categorize-sample.csv', import.meta.url));

describe('categorization with the bundled embedder (eval on the shipped sample)', () => {
  it('meets the quality bar, and the embedder adds to cold start over none', async () => {
    const rows = parseEvalCsv(readFileSync(sample, 'utf8'));
    // Cached: the cold-start and learning scenarios embed the same merchants.
    const embedder = createCachedEmbedder(createBundledEmbedder(), { maxEntries: 10_000 });
    const [withModel, without] = await Promise.all([
      runCategorizeEval(rows, { embedder }),
      runCategorizeEval(rows),
    ]);
    expect(withModel.coldStart.accuracy).toBeGreaterThanOrEqual(0.6);
    expect(withModel.learning.accuracy).toBeGreaterThanOrEqual(0.85);
    expect(withModel.learning.unseenMerchantAccuracy).toBeGreaterThanOrEqual(0.65);
    expect(withModel.coldStart.coverage).toBeGreaterThan(without.coldStart.coverage);
    expect(withModel.learning.unseenMerchantAccuracy).toBeGreaterThan(
      without.learning.unseenMerchantAccuracy,
    );
  }, 300_000);
});
