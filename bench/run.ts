/*
 * Runs every benchmark in this folder (or those named: `pnpm bench sync budgets`), one process
 * each so one's memory never skews another's.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const helpers = new Set(['run.ts', 'print-table.ts']);
const all = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && !helpers.has(f))
  .map((f) => f.slice(0, -3));
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const chosen = wanted.length > 0 ? wanted : all;
let failed = 0;
for (const name of chosen) {
  if (!all.includes(name)) {
    console.error(`no benchmark named ${name}; have: ${all.join(', ')}`);
    failed += 1;
    continue;
  }
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--conditions=source', join(here, `${name}.ts`)],
    {
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) failed += 1;
}
process.exit(failed > 0 ? 1 : 0);
