// Everything `pnpm release` does except publishing: builds every package, packs each published one
// with `pnpm pack` (workspace:* becomes a version, as on publish) and lists the tarballs.
// Usage: node scripts/release-dry-run.mjs [--skip-build] [--out <dir>]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { packPublishedPackages } from './pack-published-packages.mjs';
import { publishedPackages, repoRoot } from './published-packages.mjs';
import { runPnpm } from './run-pnpm.mjs';

const { values } = parseArgs({ options: { 'skip-build': { type: 'boolean' }, out: { type: 'string' } } });
const started = Date.now();
if (!values['skip-build']) runPnpm(['build']);
const destination = values.out ? resolve(values.out) : mkdtempSync(resolve(tmpdir(), 'finkit-release-'));
mkdirSync(destination, { recursive: true });

const problems = [];
const sources = new Map(publishedPackages().map((p) => [p.name, p.manifest]));
const packed = packPublishedPackages(destination);
console.log(`\nTarballs in ${destination} (not published):`);
for (const { name, version, tarball, files, manifest } of packed) {
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const [dependency, range] of Object.entries(manifest[field] ?? {})) {
      if (String(range).startsWith('workspace:'))
        problems.push(`${name}: ${field}.${dependency} is still ${range}`);
    }
  }
  // Published `exports` come from `publishConfig.exports` (pnpm swaps them in): the workspace's own,
  // minus the `source` condition that points at TypeScript sources for this repository's tools.
  const workspaceExports = sources.get(name)?.exports ?? {};
  const expectedExports = JSON.stringify(workspaceExports, (key, value) =>
    key === 'source' ? undefined : value,
  );
  if (JSON.stringify(manifest.exports) !== expectedExports) {
    problems.push(
      `${name}: published exports differ from exports without "source"; update publishConfig.exports`,
    );
  }
  for (const required of ['package.json', 'README.md', 'LICENSE']) {
    if (!files.includes(required)) problems.push(`${name}: the tarball has no ${required}`);
  }
  const kib = (statSync(tarball).size / 1024).toFixed(0).padStart(6);
  console.log(
    `  ${`${name}@${version}`.padEnd(34)} ${kib} KiB  ${String(files.length).padStart(4)} files  ${tarball}`,
  );
}

// What `pnpm changeset version` would make of the pending changesets; informative only, so a
// checkout changesets cannot read (no base branch, say) does not fail the dry run.
const statusFile = join(destination, 'changeset-status.json');
const status = spawnSync(
  join(repoRoot, 'node_modules', '.bin', 'changeset'),
  ['status', '--output', statusFile],
  {
    cwd: repoRoot,
    encoding: 'utf8',
  },
);
if (status.status === 0 && existsSync(statusFile)) {
  const releases = JSON.parse(readFileSync(statusFile, 'utf8')).releases.filter((r) => r.type !== 'none');
  console.log(releases.length > 0 ? '\nThe pending changesets would release:' : '\nNo pending changesets.');
  for (const r of releases)
    console.log(`  ${r.name.padEnd(26)} ${r.oldVersion} -> ${r.newVersion} (${r.type})`);
  rmSync(statusFile);
} else {
  console.log(
    `\n(changeset status could not run: ${(status.stderr || status.stdout || '').trim().split('\n').pop()})`,
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
