import { Configuration, PlaidApi } from 'plaid';
import { describe, expect, it } from 'vitest';
import { type PlaidSandbox, startPlaidSandbox } from '../src/sandbox/index.js';

const client = (sandbox: PlaidSandbox): PlaidApi =>
  new PlaidApi(
    new Configuration({
      basePath: sandbox.url,
      baseOptions: { headers: { 'PLAID-CLIENT-ID': 'c', 'PLAID-SECRET': 's' } },
    }),
  );

/** Everything the plaid client sees of one item: the full initial sync and what two advances add. */
async function record(seed: number): Promise<string> {
  const sandbox = await startPlaidSandbox({ seed });
  try {
    const plaid = client(sandbox);
    const { data: exchanged } = await plaid.itemPublicTokenExchange({
      public_token: sandbox.createPublicToken('ins_109512'),
    });
    const pages: unknown[] = [exchanged];
    let cursor: string | undefined;
    for (const days of [0, 4, 9]) {
      await sandbox.advance(days);
      let hasMore = true;
      while (hasMore) {
        const { data } = await plaid.transactionsSync({
          access_token: exchanged.access_token,
          cursor,
          count: 250,
        });
        pages.push(data);
        cursor = data.next_cursor;
        hasMore = data.has_more;
      }
    }
    return JSON.stringify(pages);
  } finally {
    await sandbox.close();
  }
}

describe('sandbox determinism', () => {
  it('gives byte-identical /transactions/sync output for one seed, and different data for another', async () => {
    const [a, b, c] = await Promise.all([record(11), record(11), record(12)]);
    expect(a.length).toBeGreaterThan(10_000);
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it('generates realistic descriptors with PFC v2 categories', async () => {
    const sandbox = await startPlaidSandbox({ seed: 5 });
    try {
      const publicToken = sandbox.createPublicToken('ins_109508', { daysRequested: 730 });
      const { data } = await client(sandbox).itemPublicTokenExchange({ public_token: publicToken });
      const truth = sandbox.truth(data.item_id);
      const names = new Set(truth.map((t) => t.name));
      for (const expected of [
        'SQ *BLUE BOTTLE COFFEE OAKLAND CA',
        'GUSTO PAY 123456',
        'PG&E WEB ONLINE',
        'NETFLIX.COM',
        'SPOTIFY USA',
      ]) {
        expect(names).toContain(expected);
      }
      expect(truth.some((t) => t.name.startsWith('AMZN Mktp US*2K4'))).toBe(true);
      expect(truth[0]?.date).toBe('2023-07-01');
      const payroll = truth.filter((t) => t.name === 'GUSTO PAY 123456');
      expect(payroll.length).toBe(48);
      expect(
        payroll.every((t) => t.amount < 0 && t.personal_finance_category.detailed === 'INCOME_SALARY'),
      ).toBe(true);
      // A card payment leaves checking and arrives on the card the same day.
      const out = truth.filter((t) => t.name.startsWith('PAYMENT TO PLAID CREDIT CARD'));
      const inn = truth.filter((t) => t.name === 'PAYMENT - THANK YOU');
      expect(out.map((t) => [t.date, t.amount])).toEqual(inn.map((t) => [t.date, -t.amount]));
    } finally {
      await sandbox.close();
    }
  });
});
