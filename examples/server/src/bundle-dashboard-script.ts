import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * One of the dashboard's browser scripts (`dashboard.ts`, the page's module; or
 * `push-service-worker.ts`, a classic script, since not every browser runs module service
 * workers), bundled from TypeScript when the server starts (well under a second), so there is no
 * build step to forget and no CDN: core's money formatting is bundled in.
 */
export async function bundleDashboardScript(
  entry: 'dashboard.ts' | 'push-service-worker.ts' = 'dashboard.ts',
): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL(`./browser/${entry}`, import.meta.url))],
    bundle: true,
    write: false,
    format: entry === 'dashboard.ts' ? 'esm' : 'iife',
    platform: 'browser',
    target: 'es2022',
    // Resolve workspace packages to their TypeScript sources, as the server itself does.
    conditions: ['source'],
    // Core's Node-only modules (token cipher, job runner) are never reached from the dashboard;
    // core is side-effect free, so they are shaken out, and this only lets resolution pass.
    external: ['node:*'],
    minify: true,
    sourcemap: 'inline',
    legalComments: 'none',
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error(`esbuild produced no ${entry} script`);
  return output.text;
}
