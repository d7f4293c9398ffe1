import {
  type Account,
  type AccountRepository,
  type Connection,
  type ConnectionRepository,
  type ConnectionStatus,
  isDeepEqual,
  notFound,
  type ProviderAccount,
} from '@finkit/core';
import { type Kysely, type Selectable, sql } from 'kysely';
import type { AccountsTable, ConnectionsTable, Database } from '../database.js';
import { conflictOnUnique, type PostgresContext, requireConnection } from '../postgres-context.js';
import { toNullableSafeNumber } from '../sql-values.js';

export function toConnection(row: Selectable<ConnectionsTable>): Connection {
  return {
    id: row.id,
    userId: row.user_id,
    provider: row.provider,
    providerItemId: row.provider_item_id,
    institutionId: row.institution_id,
    institutionName: row.institution_name,
    status: row.status as ConnectionStatus,
    encryptedAccessToken: row.encrypted_access_token,
    cursor: row.cursor,
    lastSyncedAt: row.last_synced_at,
    lastError:
      row.last_error === null
        ? null
        : { code: row.last_error.code, message: row.last_error.message, at: new Date(row.last_error.at) },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toAccount(row: Selectable<AccountsTable>): Account {
  return {
    id: row.id,
    userId: row.user_id,
    connectionId: row.connection_id,
    providerAccountId: row.provider_account_id,
    name: row.name,
    officialName: row.official_name,
    type: row.type as Account['type'],
    subtype: row.subtype,
    mask: row.mask,
    currency: row.currency,
    balances: {
      current: toNullableSafeNumber(row.balance_current),
      available: toNullableSafeNumber(row.balance_available),
      limit: toNullableSafeNumber(row.balance_limit),
      currency: row.balance_currency,
      asOf: row.balance_as_of,
    },
    closedAt: row.closed_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function createPostgresConnections(context: PostgresContext): ConnectionRepository {
  const { db, clock, newId } = context;
  return {
    async create(input) {
      const now = clock.now();
      const row = await conflictOnUnique(
        () =>
          db
            .insertInto('connections')
            .values({
              id: newId(),
              user_id: input.userId,
              provider: input.provider,
              provider_item_id: input.providerItemId,
              institution_id: input.institutionId,
              institution_name: input.institutionName,
              status: 'active',
              encrypted_access_token: input.encryptedAccessToken,
              cursor: null,
              last_synced_at: null,
              last_error: null,
              created_at: now,
              updated_at: now,
            })
            .returningAll()
            .executeTakeFirstOrThrow(),
        `Provider item ${input.providerItemId} is already linked`,
        { provider: input.provider },
      );
      return toConnection(row);
    },
    async get(userId, id) {
      const row = await db
        .selectFrom('connections')
        .selectAll()
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row === undefined ? null : toConnection(row);
    },
    async list(userId) {
      const rows = await db
        .selectFrom('connections')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toConnection);
    },
    async update(userId, id, patch) {
      const row = await db
        .updateTable('connections')
        .set({
          ...(patch.status !== undefined && { status: patch.status }),
          ...(patch.institutionId !== undefined && { institution_id: patch.institutionId }),
          ...(patch.institutionName !== undefined && { institution_name: patch.institutionName }),
          ...(patch.encryptedAccessToken !== undefined && {
            encrypted_access_token: patch.encryptedAccessToken,
          }),
          ...(patch.lastError !== undefined && {
            last_error: patch.lastError === null ? null : JSON.stringify(patch.lastError),
          }),
          updated_at: clock.now(),
        })
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .returningAll()
        .executeTakeFirst();
      if (row === undefined) throw notFound('Connection', id);
      return toConnection(row);
    },
    async findByProviderItemId(provider, providerItemId) {
      const row = await db
        .selectFrom('connections')
        .selectAll()
        .where('provider', '=', provider)
        .where('provider_item_id', '=', providerItemId)
        .executeTakeFirst();
      return row === undefined ? null : toConnection(row);
    },
    async listByStatus(statuses) {
      if (statuses.length === 0) return [];
      const rows = await db
        .selectFrom('connections')
        .selectAll()
        .where('status', 'in', [...statuses])
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toConnection);
    },
  };
}

export function createPostgresAccounts(context: PostgresContext): AccountRepository {
  const { db, clock } = context;
  return {
    async upsertMany(userId, connectionId, accounts) {
      return db.transaction().execute(async (trx) => {
        await requireConnection(trx, userId, connectionId, true);
        return upsertAccounts(trx, context, userId, connectionId, accounts, clock.now());
      });
    },
    async get(userId, id) {
      const row = await db
        .selectFrom('accounts')
        .selectAll()
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row === undefined ? null : toAccount(row);
    },
    async list(userId, options = {}) {
      let query = db.selectFrom('accounts').selectAll().where('user_id', '=', userId);
      if (options.connectionId !== undefined) query = query.where('connection_id', '=', options.connectionId);
      if (options.includeClosed !== true) query = query.where('closed_at', 'is', null);
      const rows = await query.orderBy('created_at').orderBy('id').execute();
      return rows.map(toAccount);
    },
    async closeAll(userId, connectionId, at) {
      await db.transaction().execute(async (trx) => {
        await requireConnection(trx, userId, connectionId, true);
        await trx
          .updateTable('accounts')
          .set({ closed_at: at, updated_at: clock.now() })
          .where('connection_id', '=', connectionId)
          .where('closed_at', 'is', null)
          .execute();
      });
    },
  };
}

/**
 * Inserts or updates a connection's accounts by provider account id in one statement; shared with
 * applySyncBatch. Call it inside a transaction that holds the connection row's lock. A closed
 * account stays closed, and a row whose values did not change keeps its `updatedAt`, so a batch
 * whose accounts did not change writes nothing. `stored`, when given, is the connection's account
 * rows as read under that lock: a caller that already read them in another round trip saves one.
 */
export async function upsertAccounts(
  db: Kysely<Database>,
  context: PostgresContext,
  userId: string,
  connectionId: string,
  inputs: readonly ProviderAccount[],
  now: Date,
  stored?: readonly Selectable<AccountsTable>[],
): Promise<Account[]> {
  if (inputs.length === 0) return [];
  const existing =
    stored ??
    (await db
      .selectFrom('accounts')
      .selectAll()
      .where('connection_id', '=', connectionId)
      .where(sql<boolean>`provider_account_id = any(${inputs.map((a) => a.providerAccountId)}::text[])`)
      .execute());
  const byProviderId = new Map(existing.map((row) => [row.provider_account_id, toAccount(row)]));
  const results: Account[] = [];
  const writes = new Map<string, Account>();
  for (const input of inputs) {
    const values = {
      providerAccountId: input.providerAccountId,
      name: input.name,
      officialName: input.officialName,
      type: input.type,
      subtype: input.subtype,
      mask: input.mask,
      currency: input.currency,
      balances: { ...input.balances, asOf: new Date(input.balances.asOf) },
    };
    const before = byProviderId.get(input.providerAccountId);
    let row: Account;
    if (before === undefined) {
      row = {
        id: context.newId(),
        userId,
        connectionId,
        ...values,
        closedAt: null,
        createdAt: now,
        updatedAt: now,
      };
    } else {
      const candidate = { ...before, ...values };
      row = isDeepEqual(candidate, before) ? before : { ...candidate, updatedAt: now };
    }
    if (row !== before) writes.set(row.id, row);
    byProviderId.set(row.providerAccountId, row);
    results.push(row);
  }
  if (writes.size > 0) {
    await db
      .insertInto('accounts')
      .values(
        [...writes.values()].map((row) => ({
          id: row.id,
          user_id: row.userId,
          connection_id: row.connectionId,
          provider_account_id: row.providerAccountId,
          name: row.name,
          official_name: row.officialName,
          type: row.type,
          subtype: row.subtype,
          mask: row.mask,
          currency: row.currency,
          balance_current: row.balances.current,
          balance_available: row.balances.available,
          balance_limit: row.balances.limit,
          balance_currency: row.balances.currency,
          balance_as_of: row.balances.asOf,
          closed_at: row.closedAt,
          created_at: row.createdAt,
          updated_at: row.updatedAt,
        })),
      )
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          official_name: eb.ref('excluded.official_name'),
          type: eb.ref('excluded.type'),
          subtype: eb.ref('excluded.subtype'),
          mask: eb.ref('excluded.mask'),
          currency: eb.ref('excluded.currency'),
          balance_current: eb.ref('excluded.balance_current'),
          balance_available: eb.ref('excluded.balance_available'),
          balance_limit: eb.ref('excluded.balance_limit'),
          balance_currency: eb.ref('excluded.balance_currency'),
          balance_as_of: eb.ref('excluded.balance_as_of'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
  return results.map((row) => structuredClone(row));
}
