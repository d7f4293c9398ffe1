export interface EnqueueOptions {
  /**
   * At most one job with this key runs at a time. Enqueuing a key that is queued but not started
   * is a no-op; enqueuing a key that is running schedules exactly one follow-up run after it.
   */
  singletonKey?: string;
  /** Attempts after the first failure (default 3), with exponential backoff from `retryDelayMs`. */
  retryLimit?: number;
  retryDelayMs?: number;
  /** Run no earlier than this many ms from now. */
  delayMs?: number;
}

export interface JobRunnerCapabilities {
  /** True when jobs are shared by several processes (and singleton keys hold across them). */
  distributed: boolean;
}

export type JobHandler<P> = (payload: P, job: { id: string; attempt: number }) => Promise<void>;

/** Background work: syncs, scheduled sync-all, notification retries. */
export interface JobRunner {
  readonly capabilities: JobRunnerCapabilities;
  /** Resolves with the job id, or null when a singleton key made it a no-op. */
  enqueue<P extends object>(name: string, payload: P, options?: EnqueueOptions): Promise<string | null>;
  /**
   * Runs the named job on a schedule: a 5-field cron expression (UTC) or an interval in ms.
   * Scheduling a name again replaces its schedule.
   */
  schedule<P extends object>(name: string, when: string | { everyMs: number }, payload: P): Promise<void>;
  /** Registers the handler for a job name. One handler per name. */
  work<P extends object>(name: string, handler: JobHandler<P>): Promise<void>;
  /** Resolves when no job is queued or running (tests and graceful shutdown use it). */
  idle(): Promise<void>;
  /** Stops taking jobs, waits for running ones to finish (up to `timeoutMs`), clears schedules. */
  stop(options?: { timeoutMs?: number }): Promise<void>;
}
