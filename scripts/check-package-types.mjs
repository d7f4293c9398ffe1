// are-the-types-wrong on what we publish: packs every published package with `pnpm pack` and runs
// attw on each tarball. Profile node16: the packages need Node >= 20.19 and ship ESM + CJS with
// their own .d.ts/.d.cts, so node10 resolution (no `exports`, hence no subpaths) is out of scope.
// An entry point whose `exports` has no `require` condition is ESM-only on purpose (e.g.
// @finkit/core/testing, because vitest is ESM-only): attw checks it on its own, accepting that
// CommonJS reaches it through require(esm), which Node >= 20.19 has.
// Expects a build (`pnpm build`). Usage: node scripts/check-package-types.mjs [--packed <dir>]
// (--packed: check the tarballs `pnpm release:dry-run --out <dir>` left there instead of packing)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { packedPackages } from './packed-packages.mjs';
import { repoRoot } from './published-packages.mjs';

const { values } = parseArgs({ options: { packed: { type: 'string' } } });
const attw = join(repoRoot, 'node_modules', '.bin', 'attw');
const destination = mkdtempSync(join(tmpdir(), 'finkit-attw-'));
const failed = [];
const run = (name, args) => {
  const result = spawnSync(attw, [...args, '--profile', 'node16', '--no-color'], { stdio: 'inherit' });
  if (result.status !== 0) failed.push(name);
};
try {
  for (const { name, tarball, manifest } of packedPackages(values.packed, destination)) {
    const esmOnly = Object.entries(manifest.exports ?? {})
      .filter(([, target]) => typeof target === 'object' && target !== null && !('require' in target))
      .map(([subpath]) => subpath);
    console.log(`--- attw ${name}`);
    run(name, esmOnly.length > 0 ? [tarball, '--exclude-entrypoints', ...esmOnly] : [tarball]);
    if (esmOnly.length > 0) {
      console.log(`--- attw ${name}: ESM-only ${esmOnly.join(', ')}`);
      run(name, [tarball, '--entrypoints', ...esmOnly, '--ignore-rules', 'cjs-resolves-to-esm']);
    }
  }
} finally {
  rmSync(destination, { recursive: true, force: true });
}
if (failed.length > 0) {
  console.error(`are-the-types-wrong found problems in: ${[...new Set(failed)].join(', ')}`);
  process.exit(1);
}
console.log('are-the-types-wrong: no problems');
