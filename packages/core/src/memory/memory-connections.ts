import { FinkitError, notFound } from '../errors/finkit-error.js';
import type { ProviderAccount } from '../ports/bank-provider.js';
import type { AccountRepository, ConnectionPatch, ConnectionRepository } from '../ports/store.js';
import type { Account } from '../schemas/account.js';
import type { Connection } from '../schemas/connection.js';
import { isDeepEqual } from '../store/is-deep-equal.js';
import { copyOut, definedEntries, type MemoryContext, ownedRow, requireOwned } from './memory-context.js';
import type { MemoryState } from './memory-state.js';

const patchable = [
  'status',
  'institutionId',
  'institutionName',
  'encryptedAccessToken',
  'lastError',
] as const;

export function createMemoryConnections(context: MemoryContext): ConnectionRepository {
  const { read, write, newId } = context;
  return {
    async create(input) {
      return write((draft, now) => {
        for (const row of draft.connections.values()) {
          if (row.provider === input.provider && row.providerItemId === input.providerItemId) {
            throw new FinkitError('CONFLICT', `Provider item ${input.providerItemId} is already linked`, {
              details: { provider: input.provider },
            });
          }
        }
        const row: Connection = {
          id: newId(),
          userId: input.userId,
          provider: input.provider,
          providerItemId: input.providerItemId,
          institutionId: input.institutionId,
          institutionName: input.institutionName,
          status: 'active',
          encryptedAccessToken: input.encryptedAccessToken,
          cursor: null,
          lastSyncedAt: null,
          lastError: null,
          createdAt: now,
          updatedAt: now,
        };
        draft.connections.set(row.id, row);
        return copyOut(row);
      });
    },
    async get(userId, id) {
      return copyOut(ownedRow(read().connections, userId, id));
    },
    async list(userId) {
      return copyOut(byCreation([...read().connections.values()].filter((row) => row.userId === userId)));
    },
    async update(userId, id, patch: ConnectionPatch) {
      return write((draft, now) => {
        const row = requireOwned(draft.connections, userId, id, 'Connection');
        const changes = definedEntries(Object.fromEntries(patchable.map((key) => [key, patch[key]])));
        const next: Connection = { ...row, ...copyOut(changes), updatedAt: now };
        draft.connections.set(id, next);
        return copyOut(next);
      });
    },
    async findByProviderItemId(provider, providerItemId) {
      for (const row of read().connections.values()) {
        if (row.provider === provider && row.providerItemId === providerItemId) return copyOut(row);
      }
      return null;
    },
    async listByStatus(statuses) {
      return copyOut(
        byCreation([...read().connections.values()].filter((row) => statuses.includes(row.status))),
      );
    },
  };
}

export function createMemoryAccounts(context: MemoryContext): AccountRepository {
  const { read, write, newId } = context;
  return {
    async upsertMany(userId, connectionId, accounts) {
      return write((draft, now) =>
        copyOut(upsertAccounts(draft, userId, connectionId, accounts, now, newId)),
      );
    },
    async get(userId, id) {
      return copyOut(ownedRow(read().accounts, userId, id));
    },
    async list(userId, options = {}) {
      const rows = [...read().accounts.values()].filter(
        (row) =>
          row.userId === userId &&
          (options.connectionId === undefined || row.connectionId === options.connectionId) &&
          (options.includeClosed === true || row.closedAt === null),
      );
      return copyOut(
        rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1)),
      );
    },
    async closeAll(userId, connectionId, at) {
      write((draft, now) => {
        requireOwned(draft.connections, userId, connectionId, 'Connection');
        for (const row of draft.accounts.values()) {
          if (row.connectionId === connectionId && row.closedAt === null) {
            draft.accounts.set(row.id, { ...row, closedAt: new Date(at), updatedAt: now });
          }
        }
      });
    },
  };
}

/**
 * Inserts or updates a connection's accounts by provider account id; shared with applySyncBatch.
 * A closed account stays closed: only the connection's owner reopens it, not a late sync.
 */
export function upsertAccounts(
  draft: MemoryState,
  userId: string,
  connectionId: string,
  inputs: readonly ProviderAccount[],
  now: Date,
  newId: () => string,
): Account[] {
  if (ownedRow(draft.connections, userId, connectionId) === null) throw notFound('Connection', connectionId);
  const byProviderId = new Map<string, Account>();
  for (const row of draft.accounts.values()) {
    if (row.connectionId === connectionId) byProviderId.set(row.providerAccountId, row);
  }
  return inputs.map((input) => {
    const values = copyOut({
      providerAccountId: input.providerAccountId,
      name: input.name,
      officialName: input.officialName,
      type: input.type,
      subtype: input.subtype,
      mask: input.mask,
      currency: input.currency,
      balances: input.balances,
    });
    const existing = byProviderId.get(input.providerAccountId);
    let row: Account;
    if (existing === undefined) {
      row = { id: newId(), userId, connectionId, ...values, closedAt: null, createdAt: now, updatedAt: now };
    } else {
      const candidate = { ...existing, ...values };
      row = isDeepEqual(candidate, existing) ? existing : { ...candidate, updatedAt: now };
    }
    draft.accounts.set(row.id, row);
    byProviderId.set(row.providerAccountId, row);
    return row;
  });
}

/** Oldest first; rows created at the same instant keep insertion order (the sort is stable). */
function byCreation<T extends { createdAt: Date }>(rows: T[]): T[] {
  return rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}
