import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { publishedPackages } from './published-packages.mjs';
import { readPackedPackage } from './read-packed-package.mjs';
import { runPnpm } from './run-pnpm.mjs';

/**
 * Packs every published package into `destination` with `pnpm pack`, which rewrites
 * `workspace:*` dependencies to real versions exactly as `pnpm publish` would. Tarballs already in
 * `destination` are removed first, so it holds this build only. Expects a build: packing without
 * dist/ would silently ship a package with no code.
 *
 * @param {string} destination an existing directory
 * @returns {ReturnType<typeof readPackedPackage>[]}
 */
export function packPublishedPackages(destination) {
  for (const old of readdirSync(destination).filter((f) => f.endsWith('.tgz')))
    rmSync(join(destination, old));
  return publishedPackages().map(({ name, dir }) => {
    if (!existsSync(join(dir, 'dist'))) throw new Error(`${name} has no dist/; run \`pnpm build\` first`);
    const packed = JSON.parse(
      runPnpm(['pack', '--json', '--pack-destination', destination], { cwd: dir, capture: true }),
    );
    return readPackedPackage(packed.filename);
  });
}
