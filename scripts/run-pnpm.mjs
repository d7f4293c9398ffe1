import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './published-packages.mjs';

/**
 * Runs pnpm synchronously and throws when it fails. Uses the pnpm on PATH (there is one inside
 * `pnpm <script>`), else the version `packageManager` pins, through npx.
 *
 * @param {string[]} args
 * @param {{ cwd?: string, capture?: boolean }} [options] capture: return stdout instead of showing it
 * @returns {string} stdout when captured, otherwise ''
 */
export function runPnpm(args, options = {}) {
  const stdio = options.capture ? ['ignore', 'pipe', 'inherit'] : 'inherit';
  const cwd = options.cwd ?? repoRoot;
  let result = spawnSync('pnpm', args, { cwd, stdio, encoding: 'utf8' });
  if (result.error?.code === 'ENOENT') {
    const { packageManager } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
    result = spawnSync('npx', ['-y', packageManager, ...args], { cwd, stdio, encoding: 'utf8' });
  }
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`pnpm ${args.join(' ')} exited with ${result.status} in ${cwd}`);
  return options.capture ? result.stdout : '';
}
