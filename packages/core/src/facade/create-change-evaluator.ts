import type { EventBus } from '../ports/event-bus.js';
import type { BudgetsApi } from './budgets-api.js';
import type { GoalsApi } from './goals-api.js';

export interface ChangeEvaluator {
  /** Resolves when no evaluation is running or due (tests and graceful shutdown). */
  idle(): Promise<void>;
  stop(): void;
}

/**
 * Re-evaluates a user's budget thresholds and goal milestones after every sync and every edit, so
 * alerts follow the data without the app calling anything. Evaluations of one user never overlap:
 * changes that arrive while one runs are folded into a single follow-up run.
 */
export function createChangeEvaluator(deps: {
  events: EventBus;
  budgets: BudgetsApi;
  goals: GoalsApi;
  onError: (error: unknown) => void;
}): ChangeEvaluator {
  const running = new Map<string, Promise<void>>();
  const dirty = new Set<string>();

  async function evaluate(userId: string): Promise<void> {
    do {
      dirty.delete(userId);
      try {
        await deps.budgets.evaluate(userId);
        await deps.goals.evaluate(userId);
      } catch (error) {
        deps.onError(error);
      }
    } while (dirty.has(userId));
  }

  function changed(userId: string): void {
    if (running.has(userId)) {
      dirty.add(userId);
      return;
    }
    const run = evaluate(userId).finally(() => running.delete(userId));
    running.set(userId, run);
  }

  const unsubscribers = [
    deps.events.subscribe('transactions.synced', (event) => changed(event.userId)),
    deps.events.subscribe('transaction.updated', (event) => changed(event.userId)),
  ];

  return {
    async idle() {
      while (running.size > 0) await Promise.all(running.values());
    },
    stop() {
      for (const unsubscribe of unsubscribers) unsubscribe();
    },
  };
}
