import PQueue from 'p-queue';
import { z } from 'zod';
import { FinkitError, notFound } from '../errors/finkit-error.js';
import type { BankProvider } from '../ports/bank-provider.js';
import { type Clock, systemClock } from '../ports/clock.js';
import type { Embedder } from '../ports/embedder.js';
import type { EventBus } from '../ports/event-bus.js';
import type { JobRunner } from '../ports/job-runner.js';
import type { Store } from '../ports/store.js';
import type { TokenCipher } from '../ports/token-cipher.js';
import type { Account } from '../schemas/account.js';
import {
  type Connection,
  type ConnectionStatus,
  type PublicConnection,
  toPublicConnection,
} from '../schemas/connection.js';
import type { FinkitEvent, FinkitEventMap, FinkitEventType } from '../schemas/event.js';
import type { Transaction } from '../schemas/transaction.js';
import { buildSyncUpserts } from './build-sync-upserts.js';
import { classifyProviderError } from './classify-provider-error.js';
import { createConnectionLock } from './connection-lock.js';
import { type Categorize, type CategorizeMany, defaultCategorize } from './default-categorize.js';
import { embedUpserts } from './embed-upserts.js';
import { fetchSyncPages } from './fetch-sync-pages.js';
import { reduceSyncPages } from './reduce-sync-pages.js';
import { defaultRetryPolicy, type RetryPolicy, retryProviderCall } from './retry-provider-call.js';

/** Job names the engine registers on a JobRunner. */
export const SYNC_JOB = 'finkit.sync';
export const SYNC_ALL_JOB = 'finkit.sync-all';

export interface SyncEngineOptions {
  /** Days of history requested when linking (Plaid `days_requested`). Default 90. */
  daysRequested?: number;
  /** Transactions per `/transactions/sync` page. Default 500 (Plaid's maximum). */
  pageSize?: number;
  /** Restarts of one run after a mutation during pagination. Default 3. */
  maxMutationRestarts?: number;
  /** Re-runs after another process applied a batch first. Default 3. */
  maxConflictRetries?: number;
  retry?: Partial<RetryPolicy>;
  /** Connections synced at once by `syncAll` without a job runner. Default 4. */
  syncAllConcurrency?: number;
}

export interface SyncEngineDeps {
  store: Store;
  provider: BankProvider;
  cipher: TokenCipher;
  events: EventBus;
  clock?: Clock;
  categorize?: Categorize;
  /** The batch form; when given it is used instead of `categorize`. */
  categorizeMany?: CategorizeMany;
  /** Embeds new and changed descriptors for semantic search, stored with the sync's one write. */
  embedder?: Embedder;
  /** Hears of failures that do not fail a sync (an embedder that is down). Default console.error. */
  onError?: (error: unknown) => void;
  /** When given, initial syncs, webhooks and `syncAll` enqueue jobs instead of syncing inline. */
  jobs?: JobRunner;
  options?: SyncEngineOptions;
}

export interface SyncResult {
  connectionId: string;
  added: number;
  modified: number;
  removed: number;
  pages: number;
  /** Times the run started over because the provider's data changed while paging. */
  restarts: number;
}

export interface LinkResult {
  connection: PublicConnection;
  accounts: Account[];
  /**
   * The initial sync when it runs in this process; it rejects when the sync fails (the failure is
   * also recorded on the connection). Null when it went to the job runner.
   */
  initialSync: Promise<SyncResult> | null;
}

export type WebhookOutcome =
  | {
      action: 'ignored';
      reason: 'not_actionable' | 'unknown_item' | 'connection_removed';
      connectionId: string | null;
    }
  /** `done` settles (never rejects) once the sync ran inline, or once it was enqueued. */
  | { action: 'sync'; connectionId: string; done: Promise<void> }
  | { action: 'status'; connectionId: string; status: ConnectionStatus };

export interface SyncAllResult {
  connections: number;
  /** Jobs enqueued (with a job runner). */
  enqueued: number;
  succeeded: number;
  failed: number;
}

export interface SyncJobPayload {
  userId: string;
  connectionId: string;
}

export interface SyncEngine {
  /** A link token for the provider's UI; with `connectionId`, update mode to log in again. */
  createLinkToken(
    userId: string,
    options?: { connectionId?: string },
  ): Promise<{ linkToken: string; expiration: string }>;
  /** @throws CONFLICT when the provider's item is already linked. */
  link(input: { userId: string; publicToken: string }): Promise<LinkResult>;
  /**
   * Brings the connection up to date. At most one run per connection at a time in this process;
   * requests made while one runs share one follow-up run. Resolves when the data is stored.
   * @throws NOT_FOUND; CONFLICT for a removed connection; the provider's error once retries are
   * spent (also recorded on the connection).
   */
  syncConnection(userId: string, connectionId: string): Promise<SyncResult>;
  /** Real-time balances from the provider, stored on the accounts. */
  refreshBalances(userId: string, connectionId: string): Promise<Account[]>;
  /** @throws WEBHOOK_VERIFICATION when the webhook is not genuine. */
  handleWebhook(rawBody: string, headers: Record<string, string | undefined>): Promise<WebhookOutcome>;
  /**
   * Syncs every active connection, those in `error` (so a passing outage heals) and those whose
   * consent is about to expire but still works.
   */
  syncAll(): Promise<SyncAllResult>;
  /** Registers the sync workers and the scheduled sync of all connections (hourly by default). */
  registerJobs(jobs: JobRunner, options?: { cron?: string }): Promise<void>;
  /** Revokes the provider's access, marks the connection removed and its accounts closed. */
  unlink(userId: string, connectionId: string): Promise<void>;
}

// Item error codes that only the user can fix by logging in again through the provider's UI.
const loginErrorCodes = new Set([
  'ITEM_LOGIN_REQUIRED',
  'INVALID_CREDENTIALS',
  'INVALID_MFA',
  'INVALID_UPDATED_USERNAME',
  'INSUFFICIENT_CREDENTIALS',
  'ITEM_LOCKED',
  'USER_SETUP_REQUIRED',
  'MFA_NOT_SUPPORTED',
  'ACCESS_NOT_GRANTED',
  'PENDING_EXPIRATION',
  'USER_PERMISSION_REVOKED',
  'REAUTH_REQUIRED',
]);

// removeItem failing this way means the provider already forgot the item: removing locally is right.
const itemGoneCodes = new Set(['ITEM_NOT_FOUND', 'INVALID_ACCESS_TOKEN']);

const syncJobPayloadSchema = z.object({ userId: z.string().min(1), connectionId: z.string().min(1) });

const noop = (): void => {};

/**
 * Consent that is about to expire still works: the user is asked to log in again, but syncing
 * goes on (and must not clear the request) until the provider actually refuses.
 */
const expiresSoon = (connection: Connection): boolean =>
  connection.status === 'reauth_required' && connection.lastError?.code === 'PENDING_EXPIRATION';

function errorCode(error: unknown): string {
  if (!FinkitError.isInstance(error)) return 'NETWORK';
  const providerCode = error.details.providerCode;
  return typeof providerCode === 'string' ? providerCode : error.code;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const comparedFields = [
  'date',
  'authorizedDate',
  'amount',
  'currency',
  'description',
  'merchantName',
  'pending',
  'categoryId',
] as const;

function changedFields(
  prev: Transaction | undefined,
  next: Record<(typeof comparedFields)[number], unknown>,
): string[] {
  if (!prev) return [];
  return comparedFields.filter((field) => prev[field] !== next[field]);
}

export function createSyncEngine(deps: SyncEngineDeps): SyncEngine {
  const { store, provider, cipher, events, jobs } = deps;
  const clock = deps.clock ?? systemClock;
  const categorize = deps.categorize ?? defaultCategorize;
  const onError = deps.onError ?? ((error: unknown) => console.error('finkit sync:', error));
  const options = deps.options ?? {};
  const daysRequested = options.daysRequested ?? 90;
  const pageSize = options.pageSize ?? 500;
  const maxMutationRestarts = options.maxMutationRestarts ?? 3;
  const maxConflictRetries = options.maxConflictRetries ?? 3;
  const syncAllConcurrency = options.syncAllConcurrency ?? 4;
  const retry: RetryPolicy = { ...defaultRetryPolicy, ...options.retry };
  const lock = createConnectionLock();
  // Failures already written to the connection; the job worker does not retry those.
  const recorded = new WeakSet<object>();

  async function publish<T extends FinkitEventType>(
    userId: string,
    type: T,
    data: FinkitEventMap[T],
  ): Promise<void> {
    const event = { type, userId, at: clock.now().toISOString(), data } as FinkitEvent;
    try {
      await events.publish(event);
    } catch {
      // The data is already stored; a bus that fails to deliver must not turn a sync into an error.
    }
  }

  async function getConnection(userId: string, connectionId: string): Promise<Connection> {
    const connection = await store.connections.get(userId, connectionId);
    if (!connection) throw notFound('Connection', connectionId);
    return connection;
  }

  /** Moves a connection to a status, publishing events only on a real change (webhooks repeat). */
  async function setStatus(
    connection: Connection,
    status: ConnectionStatus,
    failure: { code: string; message: string } | null,
  ): Promise<Connection> {
    const fresh = (await store.connections.get(connection.userId, connection.id)) ?? connection;
    if (fresh.status === 'removed') return fresh;
    const sameError = (fresh.lastError?.code ?? null) === (failure?.code ?? null);
    if (fresh.status === status && sameError) return fresh;
    const updated = await store.connections.update(fresh.userId, fresh.id, {
      status,
      lastError: failure ? { ...failure, at: clock.now() } : null,
    });
    if (fresh.status !== status) {
      await publish(fresh.userId, 'connection.status_changed', { connectionId: fresh.id, status });
    }
    if (status === 'reauth_required' && (fresh.status !== status || !sameError)) {
      await publish(fresh.userId, 'connection.reauth_required', {
        connectionId: fresh.id,
        code: failure?.code ?? 'REAUTH_REQUIRED',
      });
    }
    if (status === 'error' && failure) {
      await publish(fresh.userId, 'connection.error', { connectionId: fresh.id, ...failure });
    }
    return updated;
  }

  async function recordFailure(connection: Connection, error: unknown): Promise<void> {
    const failure = { code: errorCode(error), message: errorMessage(error) };
    const status = classifyProviderError(error) === 'reauth' ? 'reauth_required' : 'error';
    await setStatus(connection, status, failure);
    if (typeof error === 'object' && error !== null) recorded.add(error);
  }

  async function runSync(userId: string, connectionId: string): Promise<SyncResult> {
    let connection = await getConnection(userId, connectionId);
    for (let conflicts = 0; ; conflicts++) {
      if (connection.status === 'removed') {
        throw new FinkitError('CONFLICT', `Connection ${connectionId} was removed`, {
          details: { connectionId },
        });
      }
      const startCursor = connection.cursor;
      let batchAccounts: Awaited<ReturnType<BankProvider['getAccounts']>>;
      let fetched: Awaited<ReturnType<typeof fetchSyncPages>>;
      let reduced: ReturnType<typeof reduceSyncPages>;
      try {
        const accessToken = await cipher.decrypt(connection.encryptedAccessToken);
        fetched = await fetchSyncPages(provider, accessToken, startCursor, {
          pageSize,
          maxMutationRestarts,
          retry,
        });
        reduced = reduceSyncPages(fetched.pages);
        batchAccounts = reduced.accounts;
        // Balances are refreshed on every sync; and a transaction may name an account that is
        // new or that linking failed to store, which the store would reject.
        if (batchAccounts.length === 0 || (await hasUnknownAccount(connection, reduced))) {
          batchAccounts = await retryProviderCall(retry, () => provider.getAccounts(accessToken));
        }
      } catch (error) {
        await recordFailure(connection, error);
        throw error;
      }

      const built = await buildSyncUpserts(
        store,
        categorize,
        userId,
        connectionId,
        reduced.upserts,
        deps.categorizeMany,
      );
      const { previous } = built;
      const upserts = deps.embedder
        ? await embedUpserts(deps.embedder, built.upserts, previous, onError)
        : built.upserts;
      let applied: Awaited<ReturnType<Store['applySyncBatch']>>;
      try {
        applied = await store.applySyncBatch({
          userId,
          connectionId,
          expectedCursor: startCursor,
          nextCursor: fetched.nextCursor,
          accounts: batchAccounts,
          upserts,
          removed: reduced.removed,
          syncedAt: clock.now(),
        });
      } catch (error) {
        // Another process applied a batch from the same cursor first: ours is stale, start from theirs.
        if (FinkitError.hasCode(error, 'CONFLICT') && conflicts < maxConflictRetries) {
          connection = await getConnection(userId, connectionId);
          continue;
        }
        throw error;
      }

      if ((connection.status !== 'active' || connection.lastError) && !expiresSoon(connection)) {
        await setStatus(connection, 'active', null);
      }
      await publishSynced(userId, connectionId, applied, upserts, previous);
      return {
        connectionId,
        added: applied.added.length,
        modified: applied.modified.length,
        removed: applied.removed.length,
        pages: fetched.pages.length,
        restarts: fetched.restarts,
      };
    }
  }

  async function hasUnknownAccount(
    connection: Connection,
    reduced: ReturnType<typeof reduceSyncPages>,
  ): Promise<boolean> {
    const known = new Set(reduced.accounts.map((a) => a.providerAccountId));
    const needed = reduced.upserts.map((t) => t.providerAccountId).filter((id) => !known.has(id));
    if (needed.length === 0) return false;
    const stored = await store.accounts.list(connection.userId, {
      connectionId: connection.id,
      includeClosed: true,
    });
    for (const account of stored) known.add(account.providerAccountId);
    return needed.some((id) => !known.has(id));
  }

  async function publishSynced(
    userId: string,
    connectionId: string,
    applied: Awaited<ReturnType<Store['applySyncBatch']>>,
    upserts: Awaited<ReturnType<typeof buildSyncUpserts>>['upserts'],
    previous: Map<string, Transaction>,
  ): Promise<void> {
    await publish(userId, 'transactions.synced', { connectionId, ...applied });
    for (const transactionId of applied.added)
      await publish(userId, 'transaction.created', { transactionId });
    if (applied.modified.length > 0) {
      const prevById = new Map([...previous.values()].map((row) => [row.id, row]));
      const nextByProviderId = new Map(upserts.map((u) => [u.providerTransactionId, u]));
      for (const transactionId of applied.modified) {
        const prev = prevById.get(transactionId);
        const next = prev ? nextByProviderId.get(prev.providerTransactionId) : undefined;
        const fields = prev && next ? changedFields(prev, next) : [];
        await publish(userId, 'transaction.updated', { transactionId, fields });
      }
    }
    for (const transactionId of applied.removed)
      await publish(userId, 'transaction.removed', { transactionId });
  }

  // Keyed by user too, so a request naming someone else's connection never joins that user's run.
  const lockKey = (userId: string, connectionId: string): string => `${userId}\u0000${connectionId}`;

  function syncConnection(userId: string, connectionId: string): Promise<SyncResult> {
    return lock.coalesce(lockKey(userId, connectionId), () => runSync(userId, connectionId));
  }

  /** Starts a sync in the background: as a job when there is a runner, else in this process. */
  function startSync(
    userId: string,
    connectionId: string,
  ): { inline: Promise<SyncResult> | null; done: Promise<void> } {
    if (jobs) {
      const done = jobs
        .enqueue<SyncJobPayload>(SYNC_JOB, { userId, connectionId }, { singletonKey: `sync:${connectionId}` })
        .then(noop);
      return { inline: null, done };
    }
    const inline = syncConnection(userId, connectionId);
    // Marks it handled: a caller that ignores it must not crash the process; the failure is on the connection.
    inline.catch(noop);
    return { inline, done: inline.then(noop, noop) };
  }

  async function currentItemError(
    connection: Connection,
  ): Promise<{ code: string; message: string } | null | undefined> {
    try {
      const accessToken = await cipher.decrypt(connection.encryptedAccessToken);
      const item = await retryProviderCall(retry, () => provider.getItem(accessToken));
      return item.error;
    } catch (error) {
      if (classifyProviderError(error) === 'reauth')
        return { code: errorCode(error), message: errorMessage(error) };
      return undefined;
    }
  }

  async function syncAll(): Promise<SyncAllResult> {
    const connections = (await store.connections.listByStatus(['active', 'error', 'reauth_required'])).filter(
      (c) => c.status !== 'reauth_required' || expiresSoon(c),
    );
    const result: SyncAllResult = { connections: connections.length, enqueued: 0, succeeded: 0, failed: 0 };
    if (jobs) {
      for (const c of connections) {
        const id = await jobs.enqueue<SyncJobPayload>(
          SYNC_JOB,
          { userId: c.userId, connectionId: c.id },
          { singletonKey: `sync:${c.id}` },
        );
        if (id !== null) result.enqueued += 1;
      }
      return result;
    }
    const queue = new PQueue({ concurrency: syncAllConcurrency });
    await Promise.all(
      connections.map((c) =>
        queue.add(async () => {
          try {
            await syncConnection(c.userId, c.id);
            result.succeeded += 1;
          } catch {
            // Recorded on the connection; one bad connection must not stop the others.
            result.failed += 1;
          }
        }),
      ),
    );
    return result;
  }

  return {
    async createLinkToken(userId, linkOptions) {
      if (linkOptions?.connectionId) {
        const connection = await getConnection(userId, linkOptions.connectionId);
        const accessToken = await cipher.decrypt(connection.encryptedAccessToken);
        return retryProviderCall(retry, () => provider.createLinkToken({ userId, accessToken }));
      }
      return retryProviderCall(retry, () => provider.createLinkToken({ userId, daysRequested }));
    },

    async link({ userId, publicToken }) {
      // Not retried: a public token is single-use, so a retry after a lost response would fail anyway.
      const linked = await provider.exchangePublicToken(publicToken);
      const item = await retryProviderCall(retry, () => provider.getItem(linked.accessToken));
      const connection = await store.connections.create({
        userId,
        provider: provider.id,
        providerItemId: linked.itemId,
        institutionId: item.institutionId,
        institutionName: item.institutionName,
        encryptedAccessToken: await cipher.encrypt(linked.accessToken),
      });
      let accounts: Account[] = [];
      try {
        const providerAccounts = await retryProviderCall(retry, () =>
          provider.getAccounts(linked.accessToken),
        );
        accounts = await store.accounts.upsertMany(userId, connection.id, providerAccounts);
      } catch {
        // The connection exists now; the initial sync fetches the accounts again and records any failure.
      }
      await publish(userId, 'connection.linked', {
        connectionId: connection.id,
        institutionName: connection.institutionName,
        accountIds: accounts.map((a) => a.id),
      });
      const { inline } = startSync(userId, connection.id);
      return { connection: toPublicConnection(connection), accounts, initialSync: inline };
    },

    syncConnection,

    async refreshBalances(userId, connectionId) {
      const connection = await getConnection(userId, connectionId);
      let balances: Awaited<ReturnType<BankProvider['getBalances']>>;
      try {
        const accessToken = await cipher.decrypt(connection.encryptedAccessToken);
        balances = await retryProviderCall(retry, () => provider.getBalances(accessToken));
      } catch (error) {
        if (classifyProviderError(error) === 'reauth') await recordFailure(connection, error);
        throw error;
      }
      return store.accounts.upsertMany(userId, connectionId, balances);
    },

    async handleWebhook(rawBody, headers) {
      const webhook = await provider.verifyWebhook(rawBody, headers);
      if (webhook.kind === 'ignored')
        return { action: 'ignored', reason: 'not_actionable', connectionId: null };
      const connection = await store.connections.findByProviderItemId(provider.id, webhook.itemId);
      if (!connection) return { action: 'ignored', reason: 'unknown_item', connectionId: null };
      if (connection.status === 'removed') {
        return { action: 'ignored', reason: 'connection_removed', connectionId: connection.id };
      }
      switch (webhook.kind) {
        case 'sync_updates_available': {
          const { done } = startSync(connection.userId, connection.id);
          return { action: 'sync', connectionId: connection.id, done };
        }
        case 'pending_expiration':
        case 'user_permission_revoked': {
          const code =
            webhook.kind === 'pending_expiration' ? 'PENDING_EXPIRATION' : 'USER_PERMISSION_REVOKED';
          await setStatus(connection, 'reauth_required', { code, message: `The provider reported ${code}` });
          return { action: 'status', connectionId: connection.id, status: 'reauth_required' };
        }
        case 'item_error':
        case 'login_repaired': {
          // Webhooks arrive late, twice, or out of order: ask the item for its state now rather than
          // trusting this one; if the provider cannot be reached, trust the webhook.
          const current = await currentItemError(connection);
          const claimed =
            webhook.kind === 'item_error' ? { code: webhook.code, message: webhook.message } : null;
          const failure = current === undefined ? claimed : current;
          if (failure) {
            const status = loginErrorCodes.has(failure.code) ? 'reauth_required' : 'error';
            await setStatus(connection, status, failure);
            return { action: 'status', connectionId: connection.id, status };
          }
          await setStatus(connection, 'active', null);
          const { done } = startSync(connection.userId, connection.id);
          return { action: 'sync', connectionId: connection.id, done };
        }
      }
    },

    syncAll,

    async registerJobs(runner, jobOptions) {
      await runner.work<SyncJobPayload>(SYNC_JOB, async (payload) => {
        const { userId, connectionId } = syncJobPayloadSchema.parse(payload);
        try {
          await syncConnection(userId, connectionId);
        } catch (error) {
          // Retrying these would only repeat them: the failure is on the connection already, or the
          // connection is gone.
          if (typeof error === 'object' && error !== null && recorded.has(error)) return;
          if (FinkitError.hasCode(error, 'NOT_FOUND') || FinkitError.hasCode(error, 'CONFLICT')) return;
          throw error;
        }
      });
      await runner.work<Record<string, never>>(SYNC_ALL_JOB, async () => {
        await syncAll();
      });
      await runner.schedule(SYNC_ALL_JOB, jobOptions?.cron ?? '0 * * * *', {});
    },

    unlink(userId, connectionId) {
      // Behind the connection's lock so a running sync cannot write after the removal.
      return lock.run(lockKey(userId, connectionId), async () => {
        const connection = await getConnection(userId, connectionId);
        if (connection.status === 'removed') return;
        try {
          const accessToken = await cipher.decrypt(connection.encryptedAccessToken);
          await retryProviderCall(retry, () => provider.removeItem(accessToken));
        } catch (error) {
          const gone = itemGoneCodes.has(errorCode(error)) || classifyProviderError(error) === 'reauth';
          if (!gone) throw error;
        }
        await store.connections.update(userId, connectionId, { status: 'removed' });
        await store.accounts.closeAll(userId, connectionId, clock.now());
        await publish(userId, 'connection.status_changed', { connectionId, status: 'removed' });
        await publish(userId, 'connection.removed', { connectionId });
      });
    },
  };
}
