import { type Clock, type Store, systemClock } from '@finkit/core';
import { type Kysely, sql } from 'kysely';
import type { Pool } from 'pg';
import { applySyncBatch } from './apply-sync-batch.js';
import { createSqlPreparedStatements } from './create-sql-prepared-statements.js';
import { createStatisticsRefresher } from './create-statistics-refresher.js';
import type { Database } from './database.js';
import { migrate } from './migrate.js';
import type { MigrationContext } from './migrations/migration.js';
import { createIdGenerator } from './new-id.js';
import { type DatabaseInput, isPGlite, openDatabase } from './open-database.js';
import type { PostgresContext } from './postgres-context.js';
import { createPreparedStatements } from './prepared-statements.js';
import { createPostgresBudgets } from './repositories/postgres-budgets.js';
import { createPostgresCategories } from './repositories/postgres-categories.js';
import { createPostgresAccounts, createPostgresConnections } from './repositories/postgres-connections.js';
import { createPostgresDeliveries } from './repositories/postgres-deliveries.js';
import { createPostgresGoals } from './repositories/postgres-goals.js';
import { createPostgresNotifications } from './repositories/postgres-notifications.js';
import { createPostgresPushSubscriptions } from './repositories/postgres-push-subscriptions.js';
import { createPostgresRules } from './repositories/postgres-rules.js';
import { createPostgresTransactions } from './repositories/postgres-transactions.js';
import { createPostgresVersionedDocuments } from './repositories/postgres-versioned-documents.js';
import { searchSimilar } from './search-similar.js';

export interface PostgresStoreOptions {
  /** A Kysely instance, a `pg.Pool`, or a PGlite instance. It stays yours: `close()` leaves it open. */
  db: DatabaseInput;
  /** Source of every stored timestamp. */
  clock?: Clock;
  /** Makes ids for new rows; time-ordered UUIDv7-shaped ids by default. */
  idGenerator?: () => string;
  /** Run `migrate` first (with these options when an object). Off by default: deployments migrate on their own. */
  migrate?: boolean | MigrationContext;
  /**
   * Hot reads (a budget's progress, a page of transactions, a vector search) run as prepared
   * statements, parsed once per session (and planned once, when PostgreSQL settles on a generic
   * plan): named statements on a `pg.Pool`, SQL `PREPARE`/`EXECUTE` on PGlite. On by default; turn
   * it off behind a pooler that does not keep prepared statements across transactions (PgBouncer in
   * transaction mode before 1.21, or without `max_prepared_statements`). finkit also stops
   * preparing by itself when the server reports a prepared statement missing, already taken or
   * stale.
   */
  preparedStatements?: boolean;
}

/**
 * The Store on PostgreSQL (through `pg`) or PGlite, one code path through Kysely. Expects a
 * migrated schema (see `migrate`); whether vector search works is read from that schema.
 */
export async function createPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  if (options.migrate) {
    await migrate(options.db, options.migrate === true ? {} : options.migrate);
  }
  const { db, release, pool } = await openDatabase(options.db);
  const context: PostgresContext = {
    db,
    clock: options.clock ?? systemClock,
    newId: options.idGenerator ?? createIdGenerator(),
    vectorDimensions: await readVectorDimensions(db),
    ...(pool !== undefined && { pool }),
    ...(options.preparedStatements !== false && preparedStatementsFor(options.db, pool)),
  };
  const refreshStatistics = isPGlite(options.db) ? createStatisticsRefresher(db) : null;
  return {
    capabilities: {
      vectorSearch: context.vectorDimensions !== undefined,
      // PGlite lives inside one process; a server's row locks and unique keys hold across processes.
      crossProcess: !isPGlite(options.db),
    },
    connections: createPostgresConnections(context),
    accounts: createPostgresAccounts(context),
    transactions: createPostgresTransactions(context),
    rules: createPostgresRules(context),
    categories: createPostgresCategories(context),
    budgets: createPostgresBudgets(context),
    goals: createPostgresGoals(context),
    notifications: createPostgresNotifications(context),
    deliveries: createPostgresDeliveries(context),
    learnerState: createPostgresVersionedDocuments(context, 'learner_state', 'state'),
    pushSubscriptions: createPostgresPushSubscriptions(context),
    notificationPreferences: createPostgresVersionedDocuments(
      context,
      'notification_preferences',
      'preferences',
    ),
    async applySyncBatch(batch) {
      const result = await applySyncBatch(context, batch);
      await refreshStatistics?.(batch.upserts.length);
      return result;
    },
    searchSimilar: (userId, query) => searchSimilar(context, userId, query),
    close: release,
  };
}

/** Protocol-level on a server pool, by SQL on PGlite (see createSqlPreparedStatements), else none. */
function preparedStatementsFor(input: PostgresStoreOptions['db'], pool: Pool | undefined) {
  if (pool !== undefined) return { prepared: createPreparedStatements(pool) };
  if (isPGlite(input)) return { prepared: createSqlPreparedStatements() };
  return {};
}

/** The embedding column's pgvector dimension (null: any), or undefined when it is not a vector. */
async function readVectorDimensions(db: Kysely<Database>): Promise<number | null | undefined> {
  const result = await sql<{ type: string }>`
    select format_type(a.atttypid, a.atttypmod) as type
    from pg_attribute a
    where a.attrelid = to_regclass('transaction_embeddings') and a.attname = 'embedding' and not a.attisdropped
  `.execute(db);
  const type = result.rows[0]?.type;
  if (type === undefined || !type.startsWith('vector')) return undefined;
  const match = /^vector\((\d+)\)$/.exec(type);
  return match === null ? null : Number(match[1]);
}
