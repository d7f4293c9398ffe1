import { createHash } from 'node:crypto';
import type { CompiledQuery, Kysely } from 'kysely';
import type { Pool } from 'pg';
import type { Database } from './database.js';

/**
 * Hot reads as named prepared statements on the store's `pg.Pool`: PostgreSQL parses each once per
 * connection, and plans it once when it settles on a generic plan (after five runs, when that plan
 * costs no more than the custom ones). Planning was most of the server's time for a budget's
 * progress (one statement joining the budget, categories and an aggregate).
 * Statements prepared this way list their columns (never `*`), so a migration that adds a column
 * does not invalidate them.
 */
export interface PreparedStatements {
  /** Runs `query` prepared, or as a plain query once preparing is off or the cap is reached. */
  execute<R>(db: Kysely<Database>, query: CompiledQuery<R>): Promise<R[]>;
}

// Distinct statement texts kept prepared; each is a plan per pooled connection on the server.
const cap = 256;

/**
 * A prepared statement gone, foreign or stale on the server: a pooler that reset the session or
 * moved the client to another one (PgBouncer in transaction mode, DISCARD ALL), or a schema change
 * that altered a result type.
 */
export function isInvalidated(error: unknown): boolean {
  const { code, message, routine } = error as { code?: unknown; message?: unknown; routine?: unknown };
  // Missing, or (a pooler handing this client another's session) already prepared under the name.
  if (code === '26000' || code === '42P05') return true;
  // The server function that raises it names it whatever the language of `lc_messages`.
  if (code !== '0A000') return false;
  return (
    routine === 'RevalidateCachedQuery' || (typeof message === 'string' && message.includes('cached plan'))
  );
}

/** The same in every process, so a statement is recognised in a session another one prepared. */
export const preparedStatementName = (text: string): string =>
  `finkit_${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;

export function createPreparedStatements(pool: Pool): PreparedStatements {
  const names = new Map<string, string>();
  let enabled = true;
  return {
    async execute<R>(db: Kysely<Database>, query: CompiledQuery<R>): Promise<R[]> {
      let name = names.get(query.sql);
      if (name === undefined && enabled && names.size < cap) {
        name = preparedStatementName(query.sql);
        names.set(query.sql, name);
      }
      if (name === undefined || !enabled) return (await db.executeQuery(query)).rows;
      try {
        const result = await pool.query({ name, text: query.sql, values: [...query.parameters] });
        return result.rows as R[];
      } catch (error) {
        if (!isInvalidated(error)) throw error;
        // This process stops preparing; the plain query answers this call and every later one.
        enabled = false;
        return (await db.executeQuery(query)).rows;
      }
    },
  };
}

/** `query`'s rows, prepared when the store has prepared statements (a `pg.Pool`), else plainly. */
export async function executeRead<R>(
  context: { db: Kysely<Database>; prepared?: PreparedStatements },
  query: CompiledQuery<R>,
): Promise<R[]> {
  if (context.prepared !== undefined) return context.prepared.execute(context.db, query);
  return (await context.db.executeQuery(query)).rows;
}
