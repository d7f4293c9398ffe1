import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createPlaidProvider } from '../src/index.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const cli = 'packages/plaid/src/sandbox/cli.ts';
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null && child.pid)
      process.kill(-child.pid, 'SIGKILL');
  }
});

function start(
  command: string,
  args: string[],
): { child: ChildProcess; firstLine: Promise<string>; stderr: () => string } {
  // Its own process group, so cleanup reaches npx's and tsx's children too.
  const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const firstLine = new Promise<string>((resolve, reject) => {
    if (!child.stdout) throw new Error('no stdout');
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`cli exited with ${code}: ${stderr}`)));
  });
  // Only some tests wait for the line; an exit must not become an unhandled rejection elsewhere.
  firstLine.catch(() => undefined);
  return { child, firstLine, stderr: () => stderr };
}

const exitOf = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null)));
  });

// Spawning tsx takes seconds on a busy machine; the bound is generous, not a measure.
describe.concurrent('finkit-plaid-sandbox CLI', { timeout: 60_000 }, () => {
  it('prints its URL and serves the Plaid API, strict with --client-id/--secret', async () => {
    const { firstLine } = start('npx', [
      'tsx',
      '--conditions=source',
      cli,
      '--port',
      '0',
      '--seed',
      '42',
      '--client-id',
      'id',
      '--secret',
      'pw',
    ]);
    const line = await firstLine;
    expect(line).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
    const url = line.replace('listening on ', '');
    const provider = createPlaidProvider({ clientId: 'id', secret: 'pw', basePath: url });
    await expect(provider.createLinkToken({ userId: 'u' })).resolves.toMatchObject({
      linkToken: expect.any(String),
    });
    const wrong = createPlaidProvider({ clientId: 'id', secret: 'nope', basePath: url });
    await expect(wrong.createLinkToken({ userId: 'u' })).rejects.toMatchObject({
      details: { providerCode: 'INVALID_API_KEYS' },
    });
  });

  it('closes and exits 0 on SIGTERM', async () => {
    const { child, firstLine, stderr } = start(process.execPath, [
      '--conditions=source',
      '--import',
      'tsx',
      cli,
      '--port',
      '0',
    ]);
    expect(await firstLine).toMatch(/^listening on /);
    const exit = exitOf(child);
    child.kill('SIGTERM');
    expect(await exit, stderr()).toBe(0);
    expect(stderr()).toBe('');
  });

  it('refuses bad arguments with exit code 2', async () => {
    const { child, stderr } = start(process.execPath, [
      '--conditions=source',
      '--import',
      'tsx',
      cli,
      '--port',
      'abc',
    ]);
    expect(await exitOf(child), stderr()).toBe(2);
    expect(stderr()).toContain('--port must be a non-negative integer');
  });
});
