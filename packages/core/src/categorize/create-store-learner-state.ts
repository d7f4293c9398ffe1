import type { Store } from '../ports/store.js';
import type { LearnerSnapshot, LearnerStateStore } from './learner-state-store.js';

/** Keeps each user's learned state in the Store, so corrections survive restarts. */
export function createStoreLearnerState(store: Store): LearnerStateStore {
  return {
    async load(userId) {
      const json = await store.learnerState.get(userId);
      return json === null ? null : (JSON.parse(json) as LearnerSnapshot);
    },
    save: (userId, snapshot) => store.learnerState.put(userId, JSON.stringify(snapshot)),
  };
}
