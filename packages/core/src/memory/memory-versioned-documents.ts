import type { LearnerStateRepository } from '../ports/store.js';
import type { MemoryContext } from './memory-context.js';
import type { MemoryState } from './memory-state.js';

/**
 * One JSON document per user with a version raised on every write (the learner's state, the
 * user's notification choices): read it, read its version, replace it by compare-and-set.
 */
export function createMemoryVersionedDocuments(
  context: MemoryContext,
  documents: (state: MemoryState) => MemoryState['learnerState'],
): LearnerStateRepository {
  return {
    async get(userId) {
      const stored = documents(context.read()).get(userId);
      return stored === undefined ? null : { ...stored };
    },
    version: async (userId) => documents(context.read()).get(userId)?.version ?? 0,
    async put(userId, json, expectedVersion) {
      // write() runs synchronously, so the version compared is the one replaced.
      return context.write((draft) => {
        const current = documents(draft).get(userId)?.version ?? 0;
        if (current !== expectedVersion) return null;
        documents(draft).set(userId, { json, version: current + 1 });
        return current + 1;
      });
    },
  };
}
