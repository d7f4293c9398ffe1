import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { packPublishedPackages } from './pack-published-packages.mjs';
import { publishedPackages } from './published-packages.mjs';
import { readPackedPackage } from './read-packed-package.mjs';

/**
 * The tarballs to check: those already in `directory` (from `pnpm release:dry-run --out`), which
 * must be one per published package, or, without a directory, fresh ones packed into `scratch`.
 *
 * @param {string | undefined} directory
 * @param {string} scratch an existing directory the caller removes afterwards
 * @returns {ReturnType<typeof readPackedPackage>[]}
 */
export function packedPackages(directory, scratch) {
  if (directory === undefined) return packPublishedPackages(scratch);
  const packed = readdirSync(directory)
    .filter((f) => f.endsWith('.tgz'))
    .map((f) => readPackedPackage(resolve(directory, f)));
  const expected = publishedPackages().map((p) => p.name);
  const found = packed.map((p) => p.name).sort();
  if (found.join() !== [...expected].sort().join()) {
    throw new Error(`${directory} holds tarballs of [${found.join(', ')}], not of [${expected.join(', ')}]`);
  }
  return packed;
}
