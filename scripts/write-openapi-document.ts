/**
 * Writes the REST API's OpenAPI document to docs/api/openapi.json (or the path given as the first
 * argument), exactly as `createFinkitApp` serves it at `GET /openapi.json`.
 *
 * Run through `pnpm docs:api`, after typedoc has (re)created docs/api.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFinkitApp } from '../packages/adapter-hono/src/index.js';
import {
  createFinkit,
  createMemoryStore,
  createTokenCipher,
  generateTokenKey,
} from '../packages/core/src/index.js';
import { createPlaidProvider } from '../packages/plaid/src/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(process.argv[2] ?? resolve(root, 'docs/api/openapi.json'));
const { version } = JSON.parse(readFileSync(resolve(root, 'packages/adapter-hono/package.json'), 'utf8')) as {
  version: string;
};

// The document depends only on the routes, so any Finkit will do: nothing here is ever called.
const finkit = createFinkit({
  store: createMemoryStore(),
  provider: createPlaidProvider({ clientId: 'openapi', secret: 'openapi' }),
  cipher: createTokenCipher({ keys: { k: generateTokenKey() }, primaryKeyId: 'k' }),
});
const app = createFinkitApp(finkit, { authenticate: () => null, info: { version } });
const response = await app.request('/openapi.json');
const document = (await response.json()) as { openapi?: string; paths?: Record<string, unknown> };
const pathCount = Object.keys(document.paths ?? {}).length;
if (response.status !== 200 || !document.openapi?.startsWith('3.') || pathCount === 0) {
  console.error(`GET /openapi.json answered ${response.status} with ${pathCount} paths; nothing written`);
  process.exit(1);
}
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
console.log(
  `OpenAPI ${document.openapi} document with ${pathCount} paths written to ${relative(process.cwd(), out)}`,
);
