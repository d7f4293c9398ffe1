import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseEvalCsv, runCategorizeEval } from '../../../../scripts/eval-categorize.js';

const sample = fileURLToPath(new URL('../../test/fixtures/categorize-sample.csv', import.meta.url));
const rows = parseEvalCsv(readFileSync(sample, 'utf8'));

// The bar the held-out bank exports are judged by (issue #4), held on the shipped sample: four
// accounts in four banks' descriptor styles, a year of one household, most merchants local.
describe('eval-categorize on the shipped sample (no embedder)', () => {
  it('meets the quality bar with the default learned model', async () => {
    expect(rows.length).toBeGreaterThan(500);
    const report = await runCategorizeEval(rows);
    expect(report.coldStart.accuracy).toBeGreaterThanOrEqual(0.6);
    expect(report.coldStart.coverage).toBeGreaterThan(0.75);
    expect(report.learning.accuracy).toBeGreaterThanOrEqual(0.85);
    expect(report.learning.unseenMerchantAccuracy).toBeGreaterThanOrEqual(0.65);
    expect(report.learning.corrections).toBeGreaterThan(50);
    expect(report.learning.trainRows + report.learning.testRows).toBe(rows.length);
  });

  it('learns with the neighbour model and the blend too', async () => {
    for (const model of ['neighbours', 'blend'] as const) {
      const report = await runCategorizeEval(rows, { model });
      expect(report.learning.accuracy, model).toBeGreaterThanOrEqual(0.85);
      expect(report.learning.unseenMerchantAccuracy, model).toBeGreaterThan(0.6);
    }
  });

  it('lists the mistakes it counted', async () => {
    const report = await runCategorizeEval(rows, { mistakes: true });
    const wrong = Math.round((1 - report.coldStart.accuracy) * rows.length);
    expect(report.mistakes?.coldStart.length).toBe(wrong);
    for (const m of report.mistakes?.coldStart ?? []) expect(m.predicted).not.toBe(m.label);
  });
});
