import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// Snippets that register tests rather than export main(): importing them runs them here.
import '../docs-snippets/writing-a-store-adapter/store-contract.js';

const registersTests = ['writing-a-store-adapter/store-contract.ts'];

// The guides under docs/ show code that these tests run. A guide marks a block with
// `<!-- snippet: <guide>/<name>.ts -->` on the line above its ```ts fence; the block must be the
// file examples/server/docs-snippets/<guide>/<name>.ts byte for byte, and that file's `main()`
// runs here and is checked below. So a guide cannot show code that no longer works.

const here = fileURLToPath(new URL('.', import.meta.url));
const docsDir = join(here, '../../../docs');
const snippetsDir = join(here, '../docs-snippets');

async function filesUnder(dir: string, suffix: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(suffix))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

interface MarkedBlock {
  guide: string;
  snippet: string;
  code: string;
}

const markerPattern = /^<!-- snippet: ([\w./-]+) -->\n```ts\n([\s\S]*?)```\n/gm;

async function markedBlocks(): Promise<MarkedBlock[]> {
  const blocks: MarkedBlock[] = [];
  for (const file of await filesUnder(docsDir, '.md')) {
    const text = await readFile(file, 'utf8');
    const markers = text.match(/^<!-- snippet: /gm)?.length ?? 0;
    const found = [...text.matchAll(markerPattern)];
    // A marker not directly above a ```ts fence would silently check nothing.
    expect(found.length, `${relative(docsDir, file)}: every snippet marker sits on a \`\`\`ts fence`).toBe(
      markers,
    );
    for (const match of found) {
      blocks.push({ guide: relative(docsDir, file), snippet: match[1]!, code: match[2]! });
    }
  }
  return blocks;
}

// What each snippet's main() must return: the guide's claims, checked.
const expectations: Record<string, (result: unknown) => void> = {
  'getting-started/hono-app.ts': (result) => {
    const { items } = result as { items: { amount: number; categoryId: string; currency: string }[] };
    expect(items).toHaveLength(3);
    for (const t of items) {
      expect(Number.isSafeInteger(t.amount)).toBe(true);
      expect(t.currency).toBe('USD');
      expect(t.categoryId).toEqual(expect.any(String));
    }
  },
  'concepts/money.ts': (result) => {
    expect(result).toEqual({
      cents: 1234,
      noFloatDrift: 30,
      yen: 1500,
      dinar: 1500,
      halfEven: 12,
      spent: '-$12.30',
      received: '¥1,500',
      decimal: '-12.30',
      total: { amount: 3770, currency: 'USD' },
    });
  },
  'concepts/provenance.ts': (result) => {
    expect(result).toMatchObject({
      before: 'provider',
      categoryId: 'entertainment',
      notes: 'team outing',
      sources: { categoryId: 'user', notes: 'user' },
    });
  },
  'core/budgets-goals-events.ts': (result) => {
    const r = result as { spent: number; percentUsed: number; goalPercent: number; events: string[] };
    expect(r.spent).toBeGreaterThan(0);
    expect(r.percentUsed).toBeGreaterThan(100);
    expect(r.goalPercent).toBe(25);
    expect(r.events).toEqual(
      expect.arrayContaining(['budget.threshold_crossed', 'goal.milestone_reached', 'transactions.synced']),
    );
  },
  'adapter-postgres/embedded-store.ts': (result) => {
    const r = result as { added: number; coffee: number; capabilities: { crossProcess: boolean } };
    expect(r.added).toBeGreaterThan(0);
    expect(r.coffee).toBeGreaterThan(0);
    expect(r.capabilities.crossProcess).toBe(false);
  },
  'adapter-hono/jwt-and-errors.ts': (result) => {
    expect(result).toMatchObject({
      anonymous: 401,
      created: 201,
      thresholds: [50, 80, 100],
      invalid: {
        status: 400,
        body: { error: { code: 'VALIDATION', details: { issues: [{ path: 'amount' }] } } },
      },
      othersBudget: { status: 404, body: { error: { code: 'NOT_FOUND' } } },
    });
    expect((result as { paths: number }).paths).toBeGreaterThan(20);
  },
  'plaid/webhooks.ts': (result) => {
    const r = result as { action: string; before: number; after: number; refused: boolean };
    expect(r.action).toBe('sync');
    expect(r.after).toBeGreaterThan(r.before);
    expect(r.refused).toBe(true);
  },
  'notifier/signed-webhooks.ts': (result) => {
    expect(result).toEqual({
      first: { accepted: true, channels: ['in_app', 'webhook'] },
      again: false,
      received: ['Groceries at 80%'],
      inApp: ['Groceries at 80%'],
    });
  },
  'embeddings/similarity.ts': (result) => {
    const r = result as { dimensions: number; coffee: number; fuel: number; cached: number };
    expect(r.dimensions).toBe(512);
    expect(r.coffee).toBeGreaterThan(r.fuel);
    expect(r.cached).toBe(3);
  },
  'production/rotate-token-keys.ts': (result) => {
    expect(result).toEqual({ rotated: 1, syncedWithNewKeyOnly: true });
  },
  'security/isolation-and-secrets.ts': (result) => {
    expect(result).toEqual({ storedEncrypted: true, tokenLeaked: false, othersRow: 404 });
  },
  'concepts/pending-to-posted.ts': (result) => {
    expect(result).toEqual({
      pendingStillListed: false,
      posted: {
        pending: false,
        categoryId: 'travel',
        tags: ['reimbursable'],
        sources: expect.objectContaining({ categoryId: 'user', tags: 'user' }),
      },
    });
  },
};

describe('docs snippets', () => {
  it('every marked block in docs/ is its snippet file, byte for byte, and every snippet is shown', async () => {
    const blocks = await markedBlocks();
    const files = (await filesUnder(snippetsDir, '.ts')).map((f) => relative(snippetsDir, f));
    for (const block of blocks) {
      expect(files, `${block.guide} names ${block.snippet}`).toContain(block.snippet);
      const source = await readFile(join(snippetsDir, block.snippet), 'utf8');
      expect(block.code, `${block.guide}: ${block.snippet} differs from its file`).toBe(source);
    }
    expect([...new Set(blocks.map((b) => b.snippet))].sort()).toEqual(files);
    expect([...Object.keys(expectations), ...registersTests].sort()).toEqual(files);
  });

  it('every relative link in docs/ points at a file and, with a #fragment, at a heading in it', async () => {
    const slug = (heading: string) =>
      heading
        .toLowerCase()
        .replace(/[^\p{L}\p{N} _-]/gu, '')
        .replaceAll(' ', '-');
    const broken: string[] = [];
    for (const file of await filesUnder(docsDir, '.md')) {
      const text = await readFile(file, 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/i.test(target!) || target!.startsWith('#')) continue;
        const [path, fragment] = target!.split('#');
        const resolved = join(file, '..', path!);
        const linked = await readFile(resolved, 'utf8').catch(() => null);
        if (linked === null) broken.push(`${relative(docsDir, file)} -> ${target}`);
        else if (fragment) {
          const headings = [...linked.matchAll(/^#+ (.+)$/gm)].map((m) => slug(m[1]!));
          if (!headings.includes(fragment))
            broken.push(`${relative(docsDir, file)} -> ${target} (no heading)`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  for (const [snippet, check] of Object.entries(expectations)) {
    it(`runs ${snippet}`, async () => {
      const module = (await import(/* @vite-ignore */ join(snippetsDir, snippet))) as {
        main: () => Promise<unknown>;
      };
      check(await module.main());
    }, 60_000);
  }
});
