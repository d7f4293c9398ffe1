import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseEvalCsv, runCategorizeEval } from '../../../../scripts/eval-categorize.js';

const sample = fileURLToPath(new URL('../../test/fixtures/categorize-sample.csv', import.meta.url));

describe('eval-categorize on the shipped sample', () => {
  it('scores far above chance in both scenarios', async () => {
    const rows = parseEvalCsv(readFileSync(sample, 'utf8'));
    expect(rows.length).toBeGreaterThan(150);
    const report = await runCategorizeEval(rows);
    // 11 labels in the sample: chance is about 0.1.
    expect(report.coldStart.accuracy).toBeGreaterThan(0.6);
    expect(report.coldStart.coverage).toBeGreaterThan(0.8);
    expect(report.learning.accuracy).toBeGreaterThan(report.coldStart.accuracy - 0.05);
    expect(report.learning.accuracy).toBeGreaterThan(0.8);
    expect(report.learning.unseenMerchantAccuracy).toBeGreaterThan(0.5);
    expect(report.learning.trainRows + report.learning.testRows).toBe(rows.length);
  });
});
