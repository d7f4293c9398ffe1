// Packs every published package, installs the tarballs into an empty project with npm (their own
// dependencies come from the registry, as for a user), then loads every entry point in `exports`
// through ESM import() and CJS require(), runs each bin with --help, type-checks the published
// declarations as a consumer, and wires the installed packages together once (core + plaid
// sandbox + hono app). Exits non-zero on any failure.
// Expects a build (`pnpm build`). Usage: node scripts/check-packed-install.mjs [--keep] [--packed <dir>]
// (--packed: install the tarballs `pnpm release:dry-run --out <dir>` left there instead of packing)
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { packedPackages } from './packed-packages.mjs';
import { repoRoot } from './published-packages.mjs';

// One export per entry point that proves the entry's own code loaded. A new subpath in some
// package's `exports` fails this check until it is named here.
const expectedExports = {
  '@finkit/core': 'createFinkit',
  '@finkit/core/testing': 'runStoreContract',
  '@finkit/adapter-postgres': 'createPostgresStore',
  '@finkit/adapter-hono': 'createFinkitApp',
  '@finkit/plaid': 'createPlaidProvider',
  '@finkit/plaid/sandbox': 'startPlaidSandbox',
  '@finkit/notifier': 'createNotifier',
  '@finkit/embeddings': 'createBundledEmbedder',
};

const { values } = parseArgs({ options: { keep: { type: 'boolean' }, packed: { type: 'string' } } });
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const work = mkdtempSync(join(tmpdir(), 'finkit-packed-install-'));
const failures = [];
/** The consumer type check, once started; awaited before the project is removed. */
let typecheck = Promise.resolve(null);
try {
  const tarballDir = join(work, 'tarballs');
  const project = join(work, 'project');
  mkdirSync(tarballDir);
  mkdirSync(project);
  const packed = packedPackages(values.packed, tarballDir);
  console.log(`${values.packed ? 'found' : 'packed'} ${packed.length} packages (${elapsed()})`);

  const entries = packed.flatMap(({ name, manifest }) =>
    Object.keys(manifest.exports ?? { '.': null })
      .filter((key) => key !== './package.json')
      .map((key) => (key === '.' ? name : `${name}/${key.slice(2)}`)),
  );
  for (const entry of entries) {
    if (!(entry in expectedExports))
      failures.push(`${entry}: no expected export named in ${import.meta.url}`);
  }

  writeFileSync(
    join(project, 'package.json'),
    `${JSON.stringify({ name: 'finkit-packed-install-check', version: '0.0.0', private: true }, null, 2)}\n`,
  );
  // What a TypeScript user adds: vitest, the optional peer @finkit/core/testing needs to run the
  // contract suite; @types/node; @types/pg, as pg ships no types (the adapter-postgres README says so).
  const rootManifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  const postgresManifest = packed.find((p) => p.name === '@finkit/adapter-postgres')?.manifest;
  const install = spawnSync(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--no-package-lock',
      '--loglevel=error',
      ...packed.map((p) => p.tarball),
      `vitest@${rootManifest.devDependencies.vitest}`,
      `@types/node@${rootManifest.devDependencies['@types/node']}`,
      `@types/pg@${postgresManifest?.devDependencies?.['@types/pg'] ?? 'latest'}`,
    ],
    { cwd: project, stdio: 'inherit' },
  );
  if (install.status !== 0) throw new Error(`npm install of the tarballs exited with ${install.status}`);
  console.log(`installed the tarballs into an empty project (${elapsed()})`);

  // The published .d.ts/.d.cts compile for a consumer, from an ES module and from a CommonJS one,
  // with strict on and skipLibCheck off (attw checks resolution, not whether the declarations
  // themselves type-check). Module node20 is Node >= 20.19, whose require() loads the ESM-only
  // @finkit/core/testing; under node16 a .cts would need import() for it (attw checks node16).
  // The repository's TypeScript does it, in the background while the runtime checks run.
  const usedNames = entries.filter((e) => expectedExports[e]).map((e) => [e, expectedExports[e]]);
  const consumer = `${usedNames.map(([e, n]) => `import { ${n} } from '${e}';`).join('\n')}
export const used = [${usedNames.map(([, n]) => n).join(', ')}];
`;
  writeFileSync(join(project, 'consumer.mts'), consumer);
  writeFileSync(join(project, 'consumer.cts'), consumer);
  const tscArgs = ['--noEmit', '--strict', '--module', 'node20', '--target', 'es2022', '--types', 'node'];
  typecheck = new Promise((done) => {
    execFile(
      process.execPath,
      [
        join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'),
        ...tscArgs,
        'consumer.mts',
        'consumer.cts',
      ],
      { cwd: project, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
      (error, stdout) => done(error ? `${stdout}`.trim() || String(error) : null),
    );
  });

  // Each format loads every entry in its own process and reports the names it exports.
  const probe = (loader) => `
    const expected = ${JSON.stringify(Object.fromEntries(entries.map((e) => [e, expectedExports[e] ?? null])))};
    const out = {};
    (async () => {
      for (const [entry, name] of Object.entries(expected)) {
        try {
          const m = ${loader};
          out[entry] = { names: Object.keys(m).filter((k) => k !== 'default' && k !== '__esModule').sort(), type: name && typeof m[name] };
        } catch (error) {
          out[entry] = { error: String(error && error.message || error).split('\\n')[0] };
        }
      }
      process.stdout.write(JSON.stringify(out));
    })();`;
  const load = (format, args) => {
    const result = spawnSync(process.execPath, args, { cwd: project, encoding: 'utf8' });
    if (result.status !== 0) {
      failures.push(`${format} probe exited with ${result.status}: ${result.stderr.trim().split('\n')[0]}`);
      return {};
    }
    return JSON.parse(result.stdout);
  };
  const esm = load('ESM', ['--input-type=module', '-e', probe('await import(entry)')]);
  const cjs = load('CJS', ['--input-type=commonjs', '-e', probe('require(entry)')]);
  for (const entry of entries) {
    for (const [format, loaded] of [
      ['ESM import() ', esm[entry]],
      ['CJS require()', cjs[entry]],
    ]) {
      const name = expectedExports[entry];
      if (!loaded) continue;
      if (loaded.error) failures.push(`${format} ${entry}: ${loaded.error}`);
      else if (loaded.type !== 'function') failures.push(`${format} ${entry}: ${name} is ${loaded.type}`);
      else
        console.log(
          `  ok  ${format} ${entry.padEnd(26)} ${name}() and ${loaded.names.length - 1} more exports`,
        );
    }
    const esmNames = esm[entry]?.names?.join(',');
    const cjsNames = cjs[entry]?.names?.join(',');
    if (esmNames && cjsNames && esmNames !== cjsNames)
      failures.push(`${entry}: ESM and CJS export different names`);
  }

  for (const { manifest } of packed) {
    for (const bin of Object.keys(manifest.bin ?? {})) {
      const result = spawnSync(join(project, 'node_modules', '.bin', bin), ['--help'], { encoding: 'utf8' });
      if (result.status === 0 && result.stdout.startsWith(`Usage: ${bin}`))
        console.log(`  ok  bin ${bin} --help`);
      else
        failures.push(
          `bin ${bin} --help exited with ${result.status}: ${(result.stderr || result.stdout).trim()}`,
        );
    }
  }

  // The installed packages work together, not only load: a Finkit on the memory store and the
  // sandbox behind the Plaid provider, served by the Hono app, links a bank and lists its accounts.
  const wiring = `
    import { createFinkit, createMemoryStore, createTokenCipher, generateTokenKey } from '@finkit/core';
    import { createFinkitApp } from '@finkit/adapter-hono';
    import { createPlaidProvider } from '@finkit/plaid';
    import { sandboxInstitutions, startPlaidSandbox } from '@finkit/plaid/sandbox';
    const sandbox = await startPlaidSandbox({ port: 0, clientId: 'check', secret: 'check' });
    try {
      const finkit = createFinkit({
        store: createMemoryStore(),
        provider: createPlaidProvider({ clientId: 'check', secret: 'check', basePath: sandbox.url }),
        cipher: createTokenCipher({ keys: { k: generateTokenKey() }, primaryKeyId: 'k' }),
      });
      const app = createFinkitApp(finkit, { authenticate: () => 'user-1' });
      const publicToken = await sandbox.createPublicToken(sandboxInstitutions[0].institutionId);
      const linked = await app.request('/accounts/link', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ publicToken }),
      });
      const accounts = await (await app.request('/accounts')).json();
      process.stdout.write(JSON.stringify({ link: linked.status, accounts: accounts.items?.length ?? accounts.length }));
    } finally {
      await sandbox.close();
    }`;
  const wired = spawnSync(process.execPath, ['--input-type=module', '-e', wiring], {
    cwd: project,
    encoding: 'utf8',
  });
  const outcome = wired.status === 0 ? JSON.parse(wired.stdout) : null;
  if (outcome && outcome.link < 300 && outcome.accounts > 0) {
    console.log(`  ok  linked a sandbox bank through the installed packages: ${outcome.accounts} accounts`);
  } else {
    failures.push(
      `wiring the installed packages: ${wired.stdout.trim() || wired.stderr.trim().split('\n')[0]}`,
    );
  }
  const typeErrors = await typecheck;
  if (typeErrors === null) {
    console.log(
      '  ok  tsc (module node20, strict, no skipLibCheck): every entry imported from .mts and .cts',
    );
  } else {
    failures.push(`tsc on the installed packages' types:\n${typeErrors}`);
  }
} catch (error) {
  failures.push(error instanceof Error ? error.message : String(error));
} finally {
  await typecheck.catch(() => {});
  if (values.keep) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

if (failures.length > 0) {
  console.error(`packed install check FAILED (${elapsed()}):\n${failures.map((f) => `  - ${f}`).join('\n')}`);
  process.exit(1);
}
console.log(`packed install check ok (${elapsed()})`);
