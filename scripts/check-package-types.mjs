// are-the-types-wrong on what we publish: packs every published package with `pnpm pack` and runs
// attw on each tarball. Profile node16: the packages need Node >= 20.19 and ship ESM + CJS with
// their own .d.ts/.d.cts, so node10 resolution (no `exports`, hence no subpaths) is out of scope.
// An entry point whose `exports` has no `require` condition is ESM-only on purpose (e.g.
// @finkit/core/testing, because vitest is ESM-only): attw checks it on its own, accepting that
// CommonJS reaches it through require(esm), which Node >= 20.19 has.
// Expects a build (`pnpm build`). Usage: node scripts/check-package-types.mjs [--packed <dir>]
// (--packed: check the tarballs `pnpm release:dry-run --out <dir>` left there instead of packing)
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { packedPackages } from './packed-packages.mjs';
import { repoRoot } from './published-packages.mjs';

const { values } = parseArgs({ options: { packed: { type: 'string' } } });
const attw = join(repoRoot, 'node_modules', '.bin', 'attw');
const destination = mkdtempSync(join(tmpdir(), 'finkit-attw-'));
const started = Date.now();

/** One attw run; its output is printed whole when it ends, so parallel runs do not interleave. */
const run = (title, args) =>
  new Promise((resolve) => {
    execFile(
      attw,
      [...args, '--profile', 'node16', '--no-color'],
      { maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        console.log(`--- attw ${title}\n${stdout}${stderr}`);
        resolve(error ? title : null);
      },
    );
  });

let failed = [];
try {
  const runs = packedPackages(values.packed, destination).flatMap(({ name, tarball, manifest }) => {
    const esmOnly = Object.entries(manifest.exports ?? {})
      .filter(([, target]) => typeof target === 'object' && target !== null && !('require' in target))
      .map(([subpath]) => subpath);
    if (esmOnly.length === 0) return [[name, [tarball]]];
    return [
      [name, [tarball, '--exclude-entrypoints', ...esmOnly]],
      [
        `${name} (ESM only: ${esmOnly.join(', ')})`,
        [tarball, '--entrypoints', ...esmOnly, '--ignore-rules', 'cjs-resolves-to-esm'],
      ],
    ];
  });
  // Each run is one single-threaded TypeScript program: two at a time halves the step on CI.
  const queue = [...runs];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const failure = await run(...next);
      if (failure) failed.push(failure);
    }
  };
  await Promise.all(Array.from({ length: Math.min(2, availableParallelism()) }, worker));
} finally {
  rmSync(destination, { recursive: true, force: true });
}
failed = failed.sort();
if (failed.length > 0) {
  console.error(`are-the-types-wrong found problems in: ${failed.join('; ')}`);
  process.exit(1);
}
console.log(`are-the-types-wrong: no problems (${((Date.now() - started) / 1000).toFixed(1)} s)`);
