import { FinkitError, type JobHandler, type JobRunner } from '@finkit/core';
import type { Pool } from 'pg';
import PgBoss from 'pg-boss';

export interface PgBossJobRunnerOptions {
  /** Either a connection string (pg-boss opens its own pool) or a `pg.Pool` to share. */
  connectionString?: string;
  pool?: Pool;
  /** The schema pg-boss keeps its tables in (created on start). */
  schema?: string;
  /** How often an idle worker asks for work. */
  pollingIntervalSeconds?: number;
  /** A job still active after this long is presumed dead (its worker crashed) and retried. */
  expireInSeconds?: number;
  /** How often pg-boss expires dead jobs and archives finished ones (its default is 2 minutes). */
  maintenanceIntervalSeconds?: number;
  onError?: (error: unknown) => void;
}

// Singleton jobs go to a `stately` twin queue: at most one queued and one running per key there,
// which is exactly the port's rule. Keyless jobs stay on a standard queue, where stately would make
// them all share one empty key.
const singletonQueue = (name: string): string => `${name}__singleton`;

/**
 * The JobRunner on pg-boss: jobs live in PostgreSQL, so any number of processes share them,
 * singleton keys hold across processes, and a crashed worker's job is retried once it expires.
 */
export async function createPgBossJobRunner(options: PgBossJobRunnerOptions): Promise<JobRunner> {
  const { pool } = options;
  if (options.connectionString === undefined && pool === undefined) {
    throw new FinkitError('VALIDATION', 'createPgBossJobRunner needs a connectionString or a pool');
  }
  const boss = new PgBoss({
    ...(options.connectionString !== undefined && { connectionString: options.connectionString }),
    ...(pool !== undefined &&
      options.connectionString === undefined && {
        db: { executeSql: (text: string, values: unknown[]) => pool.query(text, values) },
      }),
    schema: options.schema ?? 'pgboss',
    ...(options.expireInSeconds !== undefined && { expireInSeconds: options.expireInSeconds }),
    ...(options.maintenanceIntervalSeconds !== undefined && {
      maintenanceIntervalSeconds: options.maintenanceIntervalSeconds,
    }),
  });
  boss.on('error', options.onError ?? ((error) => console.error('finkit: pg-boss', error)));
  await boss.start();

  const queues = new Set<string>();
  const intervals = new Map<string, NodeJS.Timeout>();
  const pollingIntervalSeconds = options.pollingIntervalSeconds ?? 2;
  const ensureQueues = async (name: string): Promise<void> => {
    if (queues.has(name)) return;
    // createQueue is idempotent, and concurrent creation by two processes is harmless.
    await boss.createQueue(name, { name, policy: 'standard' });
    await boss.createQueue(singletonQueue(name), { name: singletonQueue(name), policy: 'stately' });
    queues.add(name);
  };

  const runner: JobRunner = {
    capabilities: { distributed: true },
    async enqueue(name, payload, enqueueOptions = {}) {
      await ensureQueues(name);
      const { singletonKey, retryLimit = 3, retryDelayMs = 1000, delayMs } = enqueueOptions;
      return boss.send(singletonKey === undefined ? name : singletonQueue(name), payload, {
        ...(singletonKey !== undefined && { singletonKey }),
        retryLimit,
        retryDelay: Math.max(1, Math.ceil(retryDelayMs / 1000)),
        retryBackoff: true,
        ...(delayMs !== undefined && delayMs > 0 && { startAfter: Math.ceil(delayMs / 1000) }),
      });
    },
    async schedule(name, when, payload) {
      await ensureQueues(name);
      clearInterval(intervals.get(name));
      intervals.delete(name);
      if (typeof when === 'string') {
        await boss.schedule(name, when, payload, { tz: 'UTC' });
        return;
      }
      await boss.unschedule(name);
      // pg-boss schedules by cron only; an interval enqueues from here, and the singleton key keeps
      // several processes doing the same from piling up runs.
      const timer = setInterval(() => {
        runner
          .enqueue(name, payload, { singletonKey: `schedule:${name}` })
          .catch(options.onError ?? (() => {}));
      }, when.everyMs);
      timer.unref();
      intervals.set(name, timer);
    },
    async work<P extends object>(name: string, handler: JobHandler<P>) {
      await ensureQueues(name);
      const run = async ([job]: PgBoss.JobWithMetadata<P>[]) => {
        if (job !== undefined) await handler(job.data, { id: job.id, attempt: job.retryCount + 1 });
      };
      const workOptions = { batchSize: 1, pollingIntervalSeconds, includeMetadata: true as const };
      await boss.work<P>(name, workOptions, run);
      await boss.work<P>(singletonQueue(name), workOptions, run);
    },
    async idle() {
      for (;;) {
        let pending = 0;
        for (const name of queues) {
          pending += await boss.getQueueSize(name, { before: 'completed' });
          pending += await boss.getQueueSize(singletonQueue(name), { before: 'completed' });
        }
        if (pending === 0) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async stop(stopOptions = {}) {
      for (const timer of intervals.values()) clearInterval(timer);
      intervals.clear();
      await boss.stop({ graceful: true, wait: true, timeout: stopOptions.timeoutMs ?? 30_000, close: true });
    },
  };
  return runner;
}
