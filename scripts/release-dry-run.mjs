// Everything `pnpm release` does except publishing: builds every package, packs each published one
// with `pnpm pack` (workspace:* becomes a version, as on publish) and lists the tarballs.
// Usage: node scripts/release-dry-run.mjs [--skip-build] [--out <dir>]
import { mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { packPublishedPackages } from './pack-published-packages.mjs';
import { runPnpm } from './run-pnpm.mjs';

const { values } = parseArgs({ options: { 'skip-build': { type: 'boolean' }, out: { type: 'string' } } });
const started = Date.now();
if (!values['skip-build']) runPnpm(['build']);
const destination = values.out ? resolve(values.out) : mkdtempSync(resolve(tmpdir(), 'finkit-release-'));
mkdirSync(destination, { recursive: true });

const problems = [];
const packed = packPublishedPackages(destination);
console.log(`\nTarballs in ${destination} (not published):`);
for (const { name, version, tarball, files, manifest } of packed) {
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const [dependency, range] of Object.entries(manifest[field] ?? {})) {
      if (String(range).startsWith('workspace:'))
        problems.push(`${name}: ${field}.${dependency} is still ${range}`);
    }
  }
  for (const required of ['package.json', 'README.md', 'LICENSE']) {
    if (!files.includes(required)) problems.push(`${name}: the tarball has no ${required}`);
  }
  const kib = (statSync(tarball).size / 1024).toFixed(0).padStart(6);
  console.log(
    `  ${`${name}@${version}`.padEnd(34)} ${kib} KiB  ${String(files.length).padStart(4)} files  ${tarball}`,
  );
}
if (problems.length > 0) {
  console.error(`\nNot releasable:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(
  `\n${packed.length} packages packed in ${((Date.now() - started) / 1000).toFixed(1)} s; nothing was published.`,
);
console.log('To release for real: `pnpm changeset version`, commit, then `pnpm release`.');
