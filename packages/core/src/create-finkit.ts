import { type Categorizer, createCategorizer } from './categorize/create-categorizer.js';
import { createStoreLearnerState } from './categorize/create-store-learner-state.js';
import { createSyncCategorize } from './categorize/create-sync-categorize.js';
import { createMemoryEventBus } from './events/create-memory-event-bus.js';
import { type AccountsApi, createAccountsApi } from './facade/accounts-api.js';
import { type BudgetsApi, createBudgetsApi } from './facade/budgets-api.js';
import { type CategoriesApi, createCategoriesApi } from './facade/categories-api.js';
import { type ConnectionsApi, createConnectionsApi } from './facade/connections-api.js';
import { createChangeEvaluator } from './facade/create-change-evaluator.js';
import type { FinkitContext } from './facade/finkit-context.js';
import { createGoalsApi, type GoalsApi } from './facade/goals-api.js';
import { createNotificationsApi, type NotificationsApi } from './facade/notifications-api.js';
import { createRulesApi, type RulesApi } from './facade/rules-api.js';
import { createTransactionsApi, type TransactionsApi } from './facade/transactions-api.js';
import type { BankProvider } from './ports/bank-provider.js';
import { type Clock, systemClock } from './ports/clock.js';
import type { Embedder } from './ports/embedder.js';
import type { EventBus } from './ports/event-bus.js';
import type { JobRunner } from './ports/job-runner.js';
import type { Notifier } from './ports/notifier.js';
import type { Store } from './ports/store.js';
import type { TokenCipher } from './ports/token-cipher.js';
import type { FinkitEvent, FinkitEventType } from './schemas/event.js';
import type { UserNotificationPreferences } from './schemas/notification-preferences.js';
import type { Categorize } from './sync/default-categorize.js';
import {
  createSyncEngine,
  type SyncEngine,
  type SyncEngineOptions,
  type WebhookOutcome,
} from './sync/sync-engine.js';

export interface FinkitOptions {
  store: Store;
  provider: BankProvider;
  /** Encrypts provider access tokens at rest (`createTokenCipher`). */
  cipher: TokenCipher;
  embedder?: Embedder;
  notifier?: Notifier;
  /** Background work; without one, syncs run inline in the calling request. */
  jobs?: JobRunner;
  /** Defaults to an in-process bus. */
  events?: EventBus;
  clock?: Clock;
  /**
   * The categorization engine used by sync, by `transactions.categorize` and taught by users'
   * edits. Defaults to `createCategorizer` over the store and the embedder.
   */
  categorizer?: Categorizer;
  /** Replaces the categorizer as the sync engine's hook (one transaction per call). */
  categorize?: Categorize;
  sync?: SyncEngineOptions;
  /**
   * Re-evaluate budget thresholds and goal milestones after every sync and transaction edit
   * (default true). Turn off when a worker elsewhere does it.
   */
  evaluateAfterChanges?: boolean;
  /**
   * What `finkit.notifications.preferences` shows a user who chose nothing (over
   * `defaultUserNotificationPreferences`). Give the notifier's `createStorePreferences` the same.
   */
  notificationDefaults?: Partial<UserNotificationPreferences>;
  /** Where background failures (an evaluation after a sync, say) are reported. Default console.error. */
  onError?: (error: unknown) => void;
}

export interface EventsApi {
  /** Every event of the type (or `*`), for every user; filter by `event.userId` for one user. */
  subscribe<T extends FinkitEventType>(type: T | '*', handler: (event: FinkitEvent<T>) => void): () => void;
}

/** The SDK's front door. Every method takes the acting user's id and sees only that user's data. */
export interface Finkit {
  readonly connections: ConnectionsApi;
  readonly accounts: AccountsApi;
  readonly transactions: TransactionsApi;
  readonly rules: RulesApi;
  readonly categories: CategoriesApi;
  readonly budgets: BudgetsApi;
  readonly goals: GoalsApi;
  /** The user's in-app notifications. */
  readonly notifications: NotificationsApi;
  readonly events: EventsApi;
  readonly webhooks: {
    /**
     * Verifies and acts on a provider webhook. Pass the raw body exactly as received.
     * @throws WEBHOOK_VERIFICATION when it is not genuine.
     */
    handle(rawBody: string, headers: Record<string, string | undefined>): Promise<WebhookOutcome>;
  };
  readonly sync: SyncEngine;
  /**
   * Registers the background workers and the hourly sync of all connections on the job runner.
   * Call it once in each process that should do background work; without a job runner it does nothing.
   */
  start(options?: { syncCron?: string }): Promise<void>;
  /** The parts it was built from, for adapters (HTTP, WebSocket) that need them. */
  readonly context: Readonly<FinkitContext>;
  /** Resolves when no background evaluation is running (tests, graceful shutdown). */
  idle(): Promise<void>;
  /** Stops background work and closes the event bus; the store is the caller's to close. */
  close(): Promise<void>;
}

export function createFinkit(options: FinkitOptions): Finkit {
  const context: FinkitContext = {
    store: options.store,
    provider: options.provider,
    cipher: options.cipher,
    events: options.events ?? createMemoryEventBus(),
    clock: options.clock ?? systemClock,
    jobs: options.jobs ?? null,
    embedder: options.embedder ?? null,
    notifier: options.notifier ?? null,
  };
  const ownsEvents = options.events === undefined;
  const categorizer =
    options.categorizer ??
    createCategorizer({
      store: context.store,
      embedder: context.embedder,
      events: context.events,
      clock: context.clock,
      learner: createStoreLearnerState(context.store),
    });
  const engine = createSyncEngine({
    store: context.store,
    provider: context.provider,
    cipher: context.cipher,
    events: context.events,
    clock: context.clock,
    ...(context.jobs ? { jobs: context.jobs } : {}),
    ...(options.categorize
      ? { categorize: options.categorize }
      : { categorizeMany: createSyncCategorize(categorizer, context.store) }),
    ...(options.sync ? { options: options.sync } : {}),
    ...(context.embedder ? { embedder: context.embedder } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
  });
  const budgets = createBudgetsApi(context);
  const goals = createGoalsApi(context);
  const evaluator =
    options.evaluateAfterChanges === false
      ? null
      : createChangeEvaluator({
          events: context.events,
          budgets,
          goals,
          onError:
            options.onError ?? ((error) => console.error('finkit: evaluation after a change failed', error)),
        });
  return {
    connections: createConnectionsApi(context, engine),
    accounts: createAccountsApi(context, engine),
    transactions: createTransactionsApi(context, categorizer),
    rules: createRulesApi(context),
    categories: createCategoriesApi(context),
    budgets,
    goals,
    notifications: createNotificationsApi(context, options.notificationDefaults),
    events: {
      subscribe: (type, handler) =>
        context.events.subscribe(type as '*', handler as (event: FinkitEvent) => void),
    },
    webhooks: { handle: (rawBody, headers) => engine.handleWebhook(rawBody, headers) },
    sync: engine,
    async start(startOptions = {}) {
      if (context.jobs) {
        await engine.registerJobs(context.jobs, startOptions.syncCron ? { cron: startOptions.syncCron } : {});
      }
    },
    context,
    idle: async () => {
      await evaluator?.idle();
    },
    async close() {
      evaluator?.stop();
      await evaluator?.idle();
      await context.jobs?.stop();
      if (ownsEvents) await context.events.close();
    },
  };
}
