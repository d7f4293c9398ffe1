import { describe, expect, it } from 'vitest';
import { FinkitError } from '../errors/finkit-error.js';
import { createMemoryStore } from '../memory/memory-store.js';
import type { NotificationPreferencesRepository } from '../ports/store.js';
import { updateStoredPreferences } from './update-stored-preferences.js';

/**
 * The memory store's preferences, with the first `readers` reads held until all of them have read:
 * the interleaving two requests at once can have (both read, then both write), made certain.
 */
function readTogether(readers: number): NotificationPreferencesRepository {
  const { notificationPreferences: real } = createMemoryStore();
  const waiting: (() => void)[] = [];
  return {
    async get(userId) {
      const read = await real.get(userId);
      if (readers > 0) {
        readers -= 1;
        await new Promise<void>((resolve) => {
          waiting.push(resolve);
          if (readers === 0) for (const release of waiting.splice(0)) release();
        });
      }
      return read;
    },
    put: (userId, json, expectedVersion) => real.put(userId, json, expectedVersion),
  };
}

describe('updateStoredPreferences', () => {
  it('two updates without a version that read the same document both keep their fields', async () => {
    const repository = readTogether(2);
    await Promise.all([
      updateStoredPreferences(repository, 'u1', { email: 'ana@example.com' }),
      updateStoredPreferences(repository, 'u1', { timeZone: 'Europe/Paris' }),
    ]);
    const stored = await repository.get('u1');
    expect(JSON.parse(stored!.json)).toEqual({ email: 'ana@example.com', timeZone: 'Europe/Paris' });
    expect(stored!.version, 'one write each, the loser retried over the winner').toBe(2);
  });

  it('two updates naming the version they read: one is written, the other is CONFLICT', async () => {
    const repository = readTogether(2);
    const outcomes = await Promise.allSettled([
      updateStoredPreferences(repository, 'u1', { email: 'ana@example.com' }, 0),
      updateStoredPreferences(repository, 'u1', { timeZone: 'Europe/Paris' }, 0),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = outcomes.find((o) => o.status === 'rejected')?.reason;
    expect(FinkitError.hasCode(refused, 'CONFLICT'), String(refused)).toBe(true);
    expect((refused as FinkitError).details).toEqual({ version: 1 });
    expect((await repository.get('u1'))?.version).toBe(1);
  });

  it('refuses a store that answers get with the bare document (an adapter from before versions), writing nothing', async () => {
    const writes: string[] = [];
    const old = {
      get: async () => '{"email":"keep@example.com"}',
      put: async (_userId: string, json: string) => {
        writes.push(json);
        return 1;
      },
    } as unknown as NotificationPreferencesRepository;
    await expect(updateStoredPreferences(old, 'u1', { timeZone: 'Europe/Paris' })).rejects.toSatisfy(
      (error) => FinkitError.hasCode(error, 'INTERNAL') && /predates preference versions/.test(String(error)),
    );
    expect(writes, 'nothing overwritten').toEqual([]);
  });
});
