import type { Store } from '../ports/store.js';
import type { LearnerSnapshot, LearnerStateStore } from './learner-state-store.js';

/** Keeps each user's learned state in the Store, so corrections survive restarts and reach every process. */
export function createStoreLearnerState(store: Store): LearnerStateStore {
  return {
    async load(userId) {
      const found = await store.learnerState.get(userId);
      return found === null
        ? null
        : { snapshot: JSON.parse(found.json) as LearnerSnapshot, version: found.version };
    },
    version: (userId) => store.learnerState.version(userId),
    save: (userId, snapshot, expectedVersion) =>
      store.learnerState.put(userId, JSON.stringify(snapshot), expectedVersion),
  };
}
