import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { JobRunner } from '@finkit/core';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { onServer, serverUrl } from '../test/test-databases.js';
import { createPgBossJobRunner } from './create-pg-boss-job-runner.js';

const child = fileURLToPath(new URL('../test/job-runner-child.ts', import.meta.url));

describe.skipIf(!serverUrl)(onServer('createPgBossJobRunner'), () => {
  // pg-boss keeps its tables in its own schema; a fresh one per run isolates this file.
  const schema = `pgboss_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const runners: JobRunner[] = [];
  const open = async (extra: { expireInSeconds?: number; maintenanceIntervalSeconds?: number } = {}) => {
    const runner = await createPgBossJobRunner({
      connectionString: serverUrl!,
      schema,
      pollingIntervalSeconds: 1,
      ...extra,
    });
    runners.push(runner);
    return runner;
  };
  afterAll(async () => {
    for (const runner of runners) await runner.stop({ timeoutMs: 5_000 });
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
  });

  it('two workers share the jobs: each runs exactly once', async () => {
    const [a, b] = [await open(), await open()];
    const runs: number[] = [];
    for (const runner of [a, b]) {
      await runner.work<{ n: number }>('count', async ({ n }) => {
        runs.push(n);
      });
    }
    for (let n = 0; n < 12; n += 1) await a.enqueue('count', { n });
    await a.idle();
    expect(runs.sort((x, y) => x - y)).toEqual(Array.from({ length: 12 }, (_, n) => n));
  });

  it('a singleton key queued twice is one job; while it runs, one follow-up is kept', async () => {
    const runner = await open();
    let release: () => void = () => {};
    const started: string[] = [];
    let firstStarted: () => void = () => {};
    const firstRunning = new Promise<void>((resolve) => {
      firstStarted = resolve;
    });
    await runner.work<{ tag: string }>('sync', async ({ tag }) => {
      started.push(tag);
      if (started.length === 1) {
        firstStarted();
        await new Promise<void>((resolve) => {
          release = resolve;
        });
      }
    });
    const first = await runner.enqueue('sync', { tag: 'first' }, { singletonKey: 'c-1' });
    await firstRunning;
    const followUp = await runner.enqueue('sync', { tag: 'follow-up' }, { singletonKey: 'c-1' });
    const dropped = await runner.enqueue('sync', { tag: 'dropped' }, { singletonKey: 'c-1' });
    expect(first).not.toBeNull();
    expect(followUp).not.toBeNull();
    expect(dropped).toBeNull();
    release();
    await runner.idle();
    expect(started).toEqual(['first', 'follow-up']);
  });

  it("a killed worker's job is retried by another", async () => {
    const survivor = await open({ expireInSeconds: 2, maintenanceIntervalSeconds: 1 });
    const worker = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', child, serverUrl!, schema],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const lines: string[] = [];
    const waitFor = (prefix: string) =>
      new Promise<string>((resolve) => {
        const check = () => {
          const line = lines.find((l) => l.startsWith(prefix));
          if (line !== undefined) resolve(line);
        };
        worker.stdout.on('data', (chunk: Buffer) => {
          lines.push(...chunk.toString().split('\n'));
          check();
        });
        check();
      });
    await waitFor('ready');
    const id = await survivor.enqueue('hang', { n: 7 }, { retryLimit: 2, retryDelayMs: 1000 });
    const startedLine = await waitFor('started');
    expect(startedLine).toBe(`started ${id} 7`);
    worker.kill('SIGKILL');
    const retried = new Promise<{ n: number; attempt: number; id: string }>((resolve) => {
      void survivor.work<{ n: number }>('hang', async ({ n }, job) => resolve({ n, ...job }));
    });
    const result = await retried;
    expect(result.id).toBe(id);
    expect(result.n).toBe(7);
    expect(result.attempt).toBeGreaterThan(1);
  });
});
