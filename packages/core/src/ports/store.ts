import type { Account } from '../schemas/account.js';
import type { Budget, NewBudget } from '../schemas/budget.js';
import type { Category } from '../schemas/category.js';
import type { FieldSource } from '../schemas/common.js';
import type { Connection, ConnectionStatus } from '../schemas/connection.js';
import type { Goal, GoalContribution } from '../schemas/goal.js';
import type { Notification, NotificationChannel } from '../schemas/notification.js';
import type { PushSubscriptionRecord } from '../schemas/push-subscription.js';
import type { Rule } from '../schemas/rule.js';
import type { FieldSources, Transaction, TransactionFilter } from '../schemas/transaction.js';
import type { ProviderAccount, ProviderTransaction } from './bank-provider.js';

/*
 * Rules every Store follows (the contract suite checks each):
 * - Every read and write is scoped by `userId`. A row of another user is indistinguishable from
 *   a missing one: reads return null/empty, writes throw NOT_FOUND (never FORBIDDEN).
 * - `get` returns null when absent; `update`/`delete` of an absent row throw NOT_FOUND.
 * - Returned objects are copies: mutating one never changes the store.
 * - A method that throws has written nothing.
 */

export interface StoreCapabilities {
  /** `searchSimilar` works (pgvector, or brute force in memory). */
  vectorSearch: boolean;
  /** Locks and compare-and-set hold across processes, not only within one. */
  crossProcess: boolean;
}

export interface NewConnectionRecord {
  userId: string;
  provider: string;
  providerItemId: string;
  institutionId: string | null;
  institutionName: string | null;
  encryptedAccessToken: string;
}

export type ConnectionPatch = Partial<
  Pick<Connection, 'status' | 'institutionId' | 'institutionName' | 'encryptedAccessToken' | 'lastError'>
>;

export interface ConnectionRepository {
  /** @throws CONFLICT when the provider's item id is already linked. */
  create(input: NewConnectionRecord): Promise<Connection>;
  get(userId: string, id: string): Promise<Connection | null>;
  /** Oldest first. Includes removed connections. */
  list(userId: string): Promise<Connection[]>;
  /** The cursor changes only through `applySyncBatch`. @throws NOT_FOUND */
  update(userId: string, id: string, patch: ConnectionPatch): Promise<Connection>;
  /** System-level lookup for webhooks, which name the item but not the user. */
  findByProviderItemId(provider: string, providerItemId: string): Promise<Connection | null>;
  /** System-level: every connection in one of these states, for the scheduled sync of all. */
  listByStatus(statuses: readonly ConnectionStatus[]): Promise<Connection[]>;
}

export interface AccountRepository {
  /**
   * Inserts or updates accounts by provider account id within the connection; returns them in
   * input order. @throws NOT_FOUND when the connection is not the user's.
   */
  upsertMany(userId: string, connectionId: string, accounts: readonly ProviderAccount[]): Promise<Account[]>;
  get(userId: string, id: string): Promise<Account | null>;
  /** Ordered by creation, then id. Closed accounts only with `includeClosed`. */
  list(userId: string, options?: { connectionId?: string; includeClosed?: boolean }): Promise<Account[]>;
  /** Marks every account of a connection closed (the connection was removed). */
  closeAll(userId: string, connectionId: string, at: Date): Promise<void>;
}

/** The values of the editable fields. */
export interface EditableValues {
  categoryId: string;
  categoryConfidence: number;
  categoryExplanation: string;
  merchantName: string | null;
  notes: string | null;
  tags: string[];
  hidden: boolean;
}

/** A transaction as the sync engine hands it to the store: provider fields plus the first guess at editable ones. */
export interface SyncTransactionInput extends ProviderTransaction, Omit<EditableValues, 'notes'> {
  sources: FieldSources;
  /** The descriptor's embedding, when an embedder ran. */
  embedding?: { model: string; vector: Float32Array };
}

export interface SyncBatch {
  userId: string;
  connectionId: string;
  /**
   * The cursor this batch was fetched from. When given, the write fails with CONFLICT (writing
   * nothing) if the stored cursor differs: another sync applied first.
   */
  expectedCursor?: string | null;
  nextCursor: string;
  /** Accounts to upsert with their balances. */
  accounts: readonly ProviderAccount[];
  /** Added and modified transactions, matched by provider transaction id within the connection. */
  upserts: readonly SyncTransactionInput[];
  /** Provider transaction ids to soft-delete; unknown ids are ignored. */
  removed: readonly string[];
  syncedAt: Date;
}

export interface SyncBatchResult {
  /** Ids of rows inserted. */
  added: string[];
  /** Ids of existing rows whose stored values changed. */
  modified: string[];
  /** Ids of rows newly soft-deleted. */
  removed: string[];
}

export interface TransactionPage {
  items: Transaction[];
  /** Opaque; pass back to get the next page. Null on the last page. */
  nextCursor: string | null;
}

/**
 * - `category`, `month`, `merchant`, `none`: one row per group and currency.
 * - `categoryDay`: one row per category, calendar date, currency and pending flag, so one query
 *   over a date range answers the sums of any periods inside it (budget periods of different
 *   lengths, zones and start days alike), added up by the caller.
 */
export type AggregateGroup = 'category' | 'month' | 'merchant' | 'none' | 'categoryDay';

export interface AggregateQuery {
  groupBy: AggregateGroup;
  filter?: TransactionFilter;
}

/**
 * Sums per group and currency. Removed rows never count; hidden ones only with `includeHidden`.
 * Ordered by key, then date and pending (posted first) for `categoryDay`, then currency, each by
 * code unit.
 */
export interface AggregateRow {
  /** Category id (`category`, `categoryDay`), `YYYY-MM`, merchant name (or description when none), or `all`. */
  key: string;
  /** `categoryDay` only: the rows' calendar date (`YYYY-MM-DD`). Absent for other groupings. */
  date?: string;
  /** `categoryDay` only: whether the rows are pending; pending and posted are summed apart. */
  pending?: boolean;
  currency: string;
  /** Sum of positive amounts (money in), minor units. */
  inflow: number;
  /** Sum of negative amounts (money out), minor units, ≤ 0. */
  outflow: number;
  count: number;
}

export interface SimilarTransaction {
  transaction: Transaction;
  /** Cosine similarity, higher is closer. */
  score: number;
}

export interface TransactionRepository {
  /** Includes removed rows (with `removedAt` set). */
  get(userId: string, id: string): Promise<Transaction | null>;
  /**
   * Ordered by date desc, then id desc; keyset pagination, so rows inserted between pages never
   * make a row appear twice or go missing. Removed rows never; hidden ones only with `includeHidden`.
   * @throws VALIDATION for a malformed cursor or a limit outside 1..1000.
   */
  list(
    userId: string,
    filter: TransactionFilter,
    page: { limit: number; cursor?: string | null },
  ): Promise<TransactionPage>;
  /** Rows of one connection by provider transaction id (removed ones included). */
  getByProviderIds(
    userId: string,
    connectionId: string,
    providerTransactionIds: readonly string[],
  ): Promise<Transaction[]>;
  /**
   * Sets editable fields on many rows in one atomic write. With source `user` every given field
   * is written; with any other source, a field whose current source is `user` is left as it is.
   * An edit of a removed pending row that a posted row has replaced is applied to the posted row
   * too, and the posted row is returned in its place: an edit racing the sync is never lost.
   * Returns the rows after the write, in input order. @throws NOT_FOUND if any id is not the user's.
   */
  edit(
    userId: string,
    edits: readonly { id: string; fields: Partial<EditableValues> }[],
    source: FieldSource,
  ): Promise<Transaction[]>;
  aggregate(userId: string, query: AggregateQuery): Promise<AggregateRow[]>;
  /** Stores embeddings, replacing any earlier one of the same row and model. @throws NOT_FOUND */
  setEmbeddings(
    userId: string,
    rows: readonly { transactionId: string; model: string; vector: Float32Array }[],
  ): Promise<void>;
}

export interface RuleRepository {
  create(userId: string, rule: Omit<Rule, 'id' | 'userId' | 'createdAt' | 'updatedAt'>): Promise<Rule>;
  get(userId: string, id: string): Promise<Rule | null>;
  /** In evaluation order: stage (pre, default, post), priority ascending, createdAt, id. */
  list(userId: string): Promise<Rule[]>;
  update(
    userId: string,
    id: string,
    patch: Partial<Omit<Rule, 'id' | 'userId' | 'createdAt' | 'updatedAt'>>,
  ): Promise<Rule>;
  delete(userId: string, id: string): Promise<void>;
}

export interface CategoryRepository {
  /** The defaults followed by the user's own, by name. */
  list(userId: string): Promise<Category[]>;
  get(userId: string, id: string): Promise<Category | null>;
  /** @throws CONFLICT when the user already has a category of that name (case-insensitive). */
  create(userId: string, input: Pick<Category, 'name' | 'kind' | 'parentId'>): Promise<Category>;
  /** Defaults cannot be changed: VALIDATION. */
  update(userId: string, id: string, patch: Partial<Pick<Category, 'name' | 'parentId'>>): Promise<Category>;
  /**
   * Deletes a user category, moving its transactions, rules' actions and child categories to
   * `reassignTo` in the same atomic write. Defaults cannot be deleted: VALIDATION.
   */
  delete(userId: string, id: string, reassignTo: string): Promise<void>;
}

/** What a budget's progress reads, taken at one point in time. */
export interface BudgetSnapshot {
  budget: Budget;
  /** The user's categories, as `categories.list` answers. */
  categories: Category[];
  /** `transactions.aggregate(userId, spending)` of the query given; empty without one. */
  spending: AggregateRow[];
}

export interface BudgetRepository {
  create(userId: string, budget: Required<NewBudget>): Promise<Budget>;
  get(userId: string, id: string): Promise<Budget | null>;
  /**
   * The budget, the user's categories and, when `spending` is given, that aggregate of the user's
   * transactions, read together (one statement, so one point in time, in an SQL store; three
   * reads side by side when composed with `readBudgetSnapshot`), so a budget's progress costs one
   * round trip: finkit passes the query it needed last time for this budget and
   * reads again only when the fresh budget or categories call for another. null when the budget is
   * not the user's. A store without a one-statement way can compose it with `readBudgetSnapshot`.
   */
  snapshot(userId: string, budgetId: string, spending?: AggregateQuery): Promise<BudgetSnapshot | null>;
  list(userId: string): Promise<Budget[]>;
  update(userId: string, id: string, patch: Partial<Required<NewBudget>>): Promise<Budget>;
  delete(userId: string, id: string): Promise<void>;
  /**
   * Records that a threshold was crossed in a period. Returns true only for the first caller,
   * across processes when `capabilities.crossProcess`: the alert fires once.
   */
  recordThresholdCrossing(
    userId: string,
    budgetId: string,
    periodStart: string,
    threshold: number,
  ): Promise<boolean>;
}

export interface GoalRepository {
  create(userId: string, goal: Omit<Goal, 'id' | 'userId' | 'createdAt' | 'updatedAt'>): Promise<Goal>;
  get(userId: string, id: string): Promise<Goal | null>;
  list(userId: string): Promise<Goal[]>;
  update(
    userId: string,
    id: string,
    patch: Partial<Omit<Goal, 'id' | 'userId' | 'createdAt' | 'updatedAt'>>,
  ): Promise<Goal>;
  /** Deletes the goal and its contributions. */
  delete(userId: string, id: string): Promise<void>;
  addContribution(
    userId: string,
    goalId: string,
    input: Pick<GoalContribution, 'amount' | 'date' | 'note'>,
  ): Promise<GoalContribution>;
  /** Oldest date first. */
  listContributions(userId: string, goalId: string): Promise<GoalContribution[]>;
  /**
   * Records that a goal's alert `key` (`milestone:50`, `off_track:2025-03`) fired. Returns true
   * only for the first caller, across processes when `capabilities.crossProcess`: the alert fires
   * once. Deleting the goal forgets its records. @throws NOT_FOUND when the goal is not the user's.
   */
  recordMilestone(userId: string, goalId: string, key: string): Promise<boolean>;
}

export interface NotificationRepository {
  /**
   * Inserts unless the user already has a notification with this dedupe key; returns the stored
   * one and whether this call created it.
   */
  create(
    userId: string,
    input: Pick<Notification, 'type' | 'dedupeKey' | 'title' | 'body' | 'data'>,
  ): Promise<{ notification: Notification; created: boolean }>;
  /** Newest first. */
  list(userId: string, options?: { unreadOnly?: boolean; limit?: number }): Promise<Notification[]>;
  markRead(userId: string, id: string, at: Date): Promise<Notification>;
}

/**
 * `held` waits for its release time (quiet hours, a digest); `pending` while a sender holds (or
 * held) a lease; `delivered` and `failed` are final.
 */
export type DeliveryStatus = 'held' | 'pending' | 'delivered' | 'failed';

/** One notification on one channel for one user: the notifier's delivery log. */
export interface Delivery {
  userId: string;
  dedupeKey: string;
  channel: NotificationChannel;
  status: DeliveryStatus;
  /** Claims and holds so far (each is one send attempt; releasing a hold is not another). */
  attempts: number;
  /** Until when the current claimant holds it (a `held` row: its release time); null once released or final. */
  leaseUntil: Date | null;
  /**
   * What the sender needs to send it again after a restart (opaque to the store); null when the
   * claim carried none, and once final.
   */
  payload: string | null;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
  deliveredAt: Date | null;
}

/**
 * What `claim` found: `claimed` (the caller now holds the lease and must send, then mark),
 * `delivered` or `failed` (final: send nothing), `in_progress` (someone else holds a live lease,
 * or the row is held for later).
 */
export type DeliveryClaim = 'claimed' | 'delivered' | 'in_progress' | 'failed';

/**
 * The delivery log that makes "never the same notification twice" survive restarts. Keyed by
 * user, dedupe key and channel. Delivery is at-least-once: a sender that dies after the receiver
 * got the message but before `markDelivered` leaves a lease that expires, and the next claim (or
 * `claimDue`) sends again — senders pass a stable idempotency key to receivers that accept one to
 * close that window. Times come from the caller (`now`/`at`), so senders' clocks must roughly agree.
 */
export interface DeliveryRepository {
  /**
   * Inserts a pending row leased until `now + leaseMs` and returns `claimed`; or re-claims a
   * pending row whose lease is released or expired (`leaseUntil <= now`), counting an attempt.
   * Otherwise reports the row's state and changes nothing (a `held` row is `in_progress`). Atomic:
   * of concurrent claims exactly one gets `claimed` (across processes when
   * `capabilities.crossProcess`). A `payload` is stored with the row (a re-claim without one keeps
   * the stored one), which lets `claimDue` hand the work to another sender if this one dies.
   */
  claim(
    userId: string,
    dedupeKey: string,
    channel: NotificationChannel,
    options: { now: Date; leaseMs: number; payload?: string },
  ): Promise<DeliveryClaim>;
  /**
   * Like `claim`, but the row becomes `held` until `until` with `payload`: nobody sends it before
   * `claimDue` releases it at or after `until`. Returns `claimed` when the caller's hold was
   * recorded, else the row's state as `claim` reports it.
   */
  hold(
    userId: string,
    dedupeKey: string,
    channel: NotificationChannel,
    options: { now: Date; until: Date; payload: string },
  ): Promise<DeliveryClaim>;
  /**
   * Across all users (the one method that is not scoped by user: it serves a background sender).
   * Atomically claims up to `limit` rows that carry a payload and are due: `held` rows whose
   * release time has come, and `pending` rows whose lease is released or expired (a sender that
   * died or closed). Each becomes `pending`, leased until `now + leaseMs` (a re-claimed pending row
   * counts an attempt, a released hold does not), and is returned, earliest due first. Of
   * concurrent callers each row goes to exactly one (across processes when `crossProcess`).
   * With `channels`, only rows of those channels are claimed (none for an empty list): a sender
   * passes the channels it can send, so rows of the others stay for a process that has them.
   */
  claimDue(options: {
    now: Date;
    leaseMs: number;
    limit: number;
    channels?: readonly NotificationChannel[];
  }): Promise<Delivery[]>;
  /** Final; drops the payload. Idempotent. @throws NOT_FOUND when never claimed. */
  markDelivered(userId: string, dedupeKey: string, channel: NotificationChannel, at: Date): Promise<void>;
  /**
   * Records a failed attempt. `permanent` makes it final (`failed`, payload dropped); otherwise the
   * lease is released so the next claim (or `claimDue`) retries. A delivered row stays delivered.
   * @throws NOT_FOUND when never claimed.
   */
  markFailed(
    userId: string,
    dedupeKey: string,
    channel: NotificationChannel,
    failure: { permanent: boolean; error: string; at: Date },
  ): Promise<void>;
  /** Newest first (by creation, then key and channel). */
  list(userId: string, options?: { status?: DeliveryStatus; limit?: number }): Promise<Delivery[]>;
}

/**
 * One opaque JSON document per user for the categorizer's learned state (corrections and model),
 * so what a user taught finkit survives restarts.
 */
export interface LearnerStateRepository {
  /** The document last put for the user and its version, or null. */
  get(userId: string): Promise<{ json: string; version: number } | null>;
  /**
   * The version of the user's document, 0 when there is none: one small read, so a process that
   * caches the learned state can see that another process changed it.
   */
  version(userId: string): Promise<number>;
  /**
   * Replaces the user's document if its version is still `expectedVersion` (0: none yet) and
   * returns the new version (greater than any before); returns null, changing nothing, when
   * another writer got there first. Atomic across processes when `capabilities.crossProcess`.
   */
  put(userId: string, json: string, expectedVersion: number): Promise<number | null>;
}

/**
 * Each user's web push subscriptions. An endpoint (one browser) belongs to one user, the last who
 * added it, so a shared device that changes hands stops getting the earlier user's notifications.
 */
export interface PushSubscriptionRepository {
  /** Oldest first (by when the endpoint was first added, then endpoint by code unit). */
  list(userId: string): Promise<PushSubscriptionRecord[]>;
  /**
   * Adds the subscription, or replaces the keys of the user's one with the same endpoint (keeping
   * its place in the list). An endpoint another user holds moves to this user, atomically: of
   * concurrent adds of one endpoint, one user ends up holding it.
   */
  add(userId: string, subscription: PushSubscriptionRecord): Promise<void>;
  /** Removes the user's subscription with this endpoint; returns whether there was one. */
  remove(userId: string, endpoint: string): Promise<boolean>;
}

/**
 * One JSON document per user holding their own notification choices (opaque to the store; core's
 * `resolveNotificationPreferences` reads it over the defaults).
 */
export interface NotificationPreferencesRepository {
  /** The document last put for the user and its version, or null when there is none. */
  get(userId: string): Promise<{ json: string; version: number } | null>;
  /**
   * Replaces the user's document if its version is still `expectedVersion` (0: none yet) and
   * returns the new version (greater than any before); returns null, changing nothing, when another
   * writer got there first, so a read-merge-write never loses a concurrent one. Atomic across
   * processes when `capabilities.crossProcess`.
   */
  put(userId: string, json: string, expectedVersion: number): Promise<number | null>;
}

/** Where finkit keeps everything. See the rules at the top of this file. */
export interface Store {
  readonly capabilities: StoreCapabilities;
  readonly connections: ConnectionRepository;
  readonly accounts: AccountRepository;
  readonly transactions: TransactionRepository;
  readonly rules: RuleRepository;
  readonly categories: CategoryRepository;
  readonly budgets: BudgetRepository;
  readonly goals: GoalRepository;
  readonly notifications: NotificationRepository;
  readonly learnerState: LearnerStateRepository;
  readonly deliveries: DeliveryRepository;
  readonly pushSubscriptions: PushSubscriptionRepository;
  readonly notificationPreferences: NotificationPreferencesRepository;
  /**
   * Writes a whole sync in one transaction: accounts and balances, upserted and removed
   * transactions, embeddings, and the connection's new cursor and `lastSyncedAt`. All or nothing.
   *
   * Upserts overwrite provider fields; an editable field keeps its value when its current source
   * is `user`. A new posted row whose `pendingTransactionId` names an existing row of the
   * connection takes that row's user-sourced fields (pending → posted keeps the user's edits).
   * Applying the same batch twice changes nothing the second time.
   * @throws NOT_FOUND for a connection not the user's; CONFLICT when `expectedCursor` is stale;
   * VALIDATION for a transaction whose account is neither stored nor in the batch.
   */
  applySyncBatch(batch: SyncBatch): Promise<SyncBatchResult>;
  /**
   * The k rows nearest to `vector` by cosine similarity among rows matching `filter` that have an
   * embedding from `model`. Filters apply before the limit, so they never starve the result.
   * @throws CAPABILITY_UNAVAILABLE when `capabilities.vectorSearch` is false.
   */
  searchSimilar(
    userId: string,
    query: { vector: Float32Array; model: string; k: number; filter?: TransactionFilter },
  ): Promise<SimilarTransaction[]>;
  /** Releases connections and handles. */
  close(): Promise<void>;
}
