/**
 * The `Store` on PostgreSQL or embedded PGlite (Kysely), migrations, pgvector search, a pg-boss
 * job runner and a LISTEN/NOTIFY event bus.
 *
 * @packageDocumentation
 * @module \@finkit/adapter-postgres
 */
export { createEmbeddedStore, type EmbeddedStoreOptions } from './create-embedded-store.js';
export { createPgBossJobRunner, type PgBossJobRunnerOptions } from './create-pg-boss-job-runner.js';
export { createPgEventBus, type PgEventBusOptions } from './create-pg-event-bus.js';
export { createPostgresStore, type PostgresStoreOptions } from './create-postgres-store.js';
export { createVectorIndex } from './create-vector-index.js';
export type { Database } from './database.js';
export { type MigrateResult, migrate } from './migrate.js';
export type { MigrationContext } from './migrations/migration.js';
export type { DatabaseInput, PGliteLike } from './open-database.js';
