import { execFileSync } from 'node:child_process';

/**
 * What a package tarball holds: its manifest as published (after `pnpm pack` rewrote it) and its
 * file list, paths relative to the package root.
 *
 * @param {string} tarball path to a .tgz made by `pnpm pack` or `npm pack`
 * @returns {{ name: string, version: string, tarball: string, files: string[], manifest: Record<string, any> }}
 */
export function readPackedPackage(tarball) {
  const manifest = JSON.parse(
    execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }),
  );
  const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    .split('\n')
    .filter((line) => line.startsWith('package/') && !line.endsWith('/'))
    .map((line) => line.slice('package/'.length));
  return { name: manifest.name, version: manifest.version, tarball, files, manifest };
}
