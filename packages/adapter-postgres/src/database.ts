import type { ColumnType } from 'kysely';

/*
 * Column types as the drivers hand them back. `pg` returns int8 and numeric as strings and `date`
 * as a local-midnight Date unless the pool overrides its type parsers, so reads accept every form
 * and the row mappers convert at the boundary (see sql-values.ts).
 */
type Timestamp = ColumnType<Date, Date, Date>;
type NullableTimestamp = ColumnType<Date | null, Date | null, Date | null>;
/** Money and other int8 values; written as JS numbers (safe integers). */
type Int8 = ColumnType<string | number | bigint, number, number>;
type NullableInt8 = ColumnType<string | number | bigint | null, number | null, number | null>;
/** A calendar date; written as `YYYY-MM-DD`. */
type CalendarDate = ColumnType<Date | string, string, string>;
type NullableCalendarDate = ColumnType<Date | string | null, string | null, string | null>;
/** jsonb; written as a JSON string so `pg` never turns a JS array into a PostgreSQL array. */
type Jsonb<T> = ColumnType<T, string, string>;
type NullableJsonb<T> = ColumnType<T | null, string | null, string | null>;

export interface MigrationsTable {
  version: number;
  name: string;
  applied_at: ColumnType<Date, Date | undefined, never>;
}

export interface ConnectionsTable {
  id: string;
  user_id: string;
  provider: string;
  provider_item_id: string;
  institution_id: string | null;
  institution_name: string | null;
  status: string;
  encrypted_access_token: string;
  cursor: string | null;
  last_synced_at: NullableTimestamp;
  last_error: NullableJsonb<{ code: string; message: string; at: string }>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AccountsTable {
  id: string;
  user_id: string;
  connection_id: string;
  provider_account_id: string;
  name: string;
  official_name: string | null;
  type: string;
  subtype: string | null;
  mask: string | null;
  currency: string;
  balance_current: NullableInt8;
  balance_available: NullableInt8;
  balance_limit: NullableInt8;
  balance_currency: string;
  balance_as_of: Timestamp;
  closed_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface TransactionsTable {
  id: string;
  user_id: string;
  connection_id: string;
  account_id: string;
  provider_transaction_id: string;
  pending_transaction_id: string | null;
  date: CalendarDate;
  authorized_date: NullableCalendarDate;
  amount: Int8;
  currency: string;
  description: string;
  merchant_name: string | null;
  pending: boolean;
  category_id: string;
  category_confidence: number;
  category_explanation: string;
  provider_category: NullableJsonb<{
    primary: string;
    detailed: string;
    confidenceLevel: string | null;
    version: 'v1' | 'v2' | null;
  }>;
  notes: string | null;
  tags: string[];
  hidden: boolean;
  sources: Jsonb<Record<string, string>>;
  removed_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface TransactionEmbeddingsTable {
  transaction_id: string;
  model: string;
  user_id: string;
  /** pgvector `vector` where the extension exists, else `real[]` (kept so a later re-embed can skip). */
  embedding: ColumnType<string | number[], string | number[], string | number[]>;
  created_at: Timestamp;
}

export interface CategoriesTable {
  id: string;
  user_id: string;
  name: string;
  kind: string;
  parent_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface RulesTable {
  id: string;
  user_id: string;
  name: string;
  enabled: boolean;
  stage: string;
  priority: number;
  match: string;
  conditions: Jsonb<unknown[]>;
  actions: Jsonb<Record<string, unknown>>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface BudgetsTable {
  id: string;
  user_id: string;
  name: string;
  category_ids: string[];
  amount: Int8;
  currency: string;
  period: string;
  period_start_day: number;
  week_starts_on: number;
  timezone: string;
  start_date: CalendarDate;
  end_date: NullableCalendarDate;
  rollover: boolean;
  thresholds: number[];
  include_pending: boolean;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface BudgetThresholdCrossingsTable {
  budget_id: string;
  user_id: string;
  period_start: CalendarDate;
  threshold: number;
  crossed_at: Timestamp;
}

export interface GoalsTable {
  id: string;
  user_id: string;
  name: string;
  target_amount: Int8;
  currency: string;
  target_date: NullableCalendarDate;
  starting_amount: Int8;
  linked_account_id: string | null;
  annual_yield: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface GoalContributionsTable {
  id: string;
  user_id: string;
  goal_id: string;
  amount: Int8;
  date: CalendarDate;
  note: string | null;
  created_at: Timestamp;
}

export interface GoalMilestonesTable {
  goal_id: string;
  user_id: string;
  key: string;
  recorded_at: Timestamp;
}

export interface NotificationsTable {
  id: string;
  user_id: string;
  type: string;
  dedupe_key: string;
  title: string;
  body: string;
  data: Jsonb<Record<string, unknown>>;
  created_at: Timestamp;
  read_at: NullableTimestamp;
}

export interface EventPayloadsTable {
  id: string;
  payload: Jsonb<unknown>;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface LearnerStateTable {
  user_id: string;
  /** The categorizer's learned state, an opaque JSON document. */
  state: string;
  /** Raised by one on every write; compare-and-set guards it. */
  version: Int8;
  updated_at: Timestamp;
}

/** The finkit schema as Kysely sees it. */
export interface PushSubscriptionsTable {
  user_id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface NotificationPreferencesTable {
  user_id: string;
  /** The user's own choices, an opaque JSON document. */
  preferences: string;
  /** Raised by one on every write; compare-and-set guards it (migration 11). */
  version: Int8;
  updated_at: Timestamp;
}

export interface Database {
  finkit_migrations: MigrationsTable;
  connections: ConnectionsTable;
  accounts: AccountsTable;
  transactions: TransactionsTable;
  transaction_embeddings: TransactionEmbeddingsTable;
  categories: CategoriesTable;
  rules: RulesTable;
  budgets: BudgetsTable;
  budget_threshold_crossings: BudgetThresholdCrossingsTable;
  goals: GoalsTable;
  goal_contributions: GoalContributionsTable;
  goal_milestones: GoalMilestonesTable;
  notifications: NotificationsTable;
  finkit_event_payloads: EventPayloadsTable;
  learner_state: LearnerStateTable;
  push_subscriptions: PushSubscriptionsTable;
  notification_preferences: NotificationPreferencesTable;
}
