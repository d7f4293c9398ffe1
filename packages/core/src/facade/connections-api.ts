import { z } from 'zod';
import { type PublicConnection, toPublicConnection } from '../schemas/connection.js';
import type { LinkResult, SyncEngine, SyncResult } from '../sync/sync-engine.js';
import { parseInput } from '../validation/parse-input.js';
import type { FinkitContext } from './finkit-context.js';
import { requireFound } from './require-found.js';

const publicTokenSchema = z.string().trim().min(1).max(1000);

export interface ConnectionsApi {
  /** A link token for the provider's UI; pass `connectionId` to let the user log in again (update mode). */
  createLinkToken(
    userId: string,
    options?: { connectionId?: string },
  ): Promise<{ linkToken: string; expiration: string }>;
  /** Exchanges the public token from the provider's UI, stores the connection and its accounts, starts the first sync. */
  link(userId: string, publicToken: string): Promise<LinkResult>;
  list(userId: string): Promise<PublicConnection[]>;
  get(userId: string, id: string): Promise<PublicConnection>;
  /** "Sync now": resolves when the connection's new data is stored. */
  sync(userId: string, id: string): Promise<SyncResult>;
  /** Revokes access at the provider; the connection is marked removed and its accounts closed. */
  unlink(userId: string, id: string): Promise<void>;
}

export function createConnectionsApi({ store }: FinkitContext, engine: SyncEngine): ConnectionsApi {
  return {
    createLinkToken: (userId, options) => engine.createLinkToken(userId, options),
    link: async (userId, publicToken) =>
      engine.link({ userId, publicToken: parseInput(publicTokenSchema, publicToken, 'public token') }),
    list: async (userId) => (await store.connections.list(userId)).map(toPublicConnection),
    get: async (userId, id) =>
      toPublicConnection(requireFound(await store.connections.get(userId, id), 'Connection', id)),
    sync: (userId, id) => engine.syncConnection(userId, id),
    unlink: (userId, id) => engine.unlink(userId, id),
  };
}
