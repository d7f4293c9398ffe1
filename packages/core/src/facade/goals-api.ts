import { z } from 'zod';
import { FinkitError } from '../errors/finkit-error.js';
import {
  createGoalEngine,
  type GoalEvent,
  type GoalOptions,
  type GoalProgress,
} from '../goals/create-goal-engine.js';
import {
  type Goal,
  type GoalContribution,
  type NewGoal,
  type NewGoalContribution,
  newGoalContributionSchema,
  newGoalSchema,
} from '../schemas/goal.js';
import { parseInput } from '../validation/parse-input.js';
import type { FinkitContext } from './finkit-context.js';
import { requireFound } from './require-found.js';

export interface GoalsApi {
  create(userId: string, input: NewGoal): Promise<Goal>;
  get(userId: string, id: string): Promise<Goal>;
  list(userId: string): Promise<Goal[]>;
  update(userId: string, id: string, patch: Partial<NewGoal>): Promise<Goal>;
  delete(userId: string, id: string): Promise<void>;
  /** A manual contribution (positive) or withdrawal (negative) in the goal's currency. */
  contribute(userId: string, goalId: string, input: NewGoalContribution): Promise<GoalContribution>;
  contributions(userId: string, goalId: string): Promise<GoalContribution[]>;
  /** Progress and projection: required monthly contribution, completion at the current pace, series. */
  progress(userId: string, goalId: string, options?: GoalOptions): Promise<GoalProgress>;
  /**
   * Publishes `goal.milestone_reached` (25/50/75/100%, once each), `goal.reached` and
   * `goal.off_track` (at most monthly). Call after syncs and contributions; returns what it published.
   */
  evaluate(userId: string, options?: GoalOptions): Promise<GoalEvent[]>;
}

const goalOptionsSchema = z.object({ timezone: z.string().min(1).optional() }).strict();

export function createGoalsApi({ store, events, clock }: FinkitContext): GoalsApi {
  const engine = createGoalEngine({ store, events, clock });
  async function validated(userId: string, input: unknown) {
    const goal = parseInput(newGoalSchema, input, 'goal');
    if (goal.linkedAccountId !== null) {
      const account = await store.accounts.get(userId, goal.linkedAccountId);
      if (!account) {
        throw new FinkitError('VALIDATION', `Unknown account: ${goal.linkedAccountId}`, {
          details: { issues: [{ path: 'linkedAccountId', message: 'Unknown account' }] },
        });
      }
      if (account.currency !== goal.currency) {
        throw new FinkitError(
          'CURRENCY_MISMATCH',
          `The account is in ${account.currency}, the goal in ${goal.currency}`,
        );
      }
    }
    return goal;
  }
  return {
    create: async (userId, input) => store.goals.create(userId, await validated(userId, input)),
    get: async (userId, id) => requireFound(await store.goals.get(userId, id), 'Goal', id),
    list: (userId) => store.goals.list(userId),
    async update(userId, id, patch) {
      const current = requireFound(await store.goals.get(userId, id), 'Goal', id);
      const { id: _id, userId: _user, createdAt: _c, updatedAt: _u, ...fields } = current;
      return store.goals.update(userId, id, await validated(userId, { ...fields, ...patch }));
    },
    delete: (userId, id) => store.goals.delete(userId, id),
    async contribute(userId, goalId, input) {
      requireFound(await store.goals.get(userId, goalId), 'Goal', goalId);
      return store.goals.addContribution(
        userId,
        goalId,
        parseInput(newGoalContributionSchema, input, 'contribution'),
      );
    },
    async contributions(userId, goalId) {
      requireFound(await store.goals.get(userId, goalId), 'Goal', goalId);
      return store.goals.listContributions(userId, goalId);
    },
    progress: async (userId, goalId, options = {}) =>
      engine.progress(userId, goalId, parseInput(goalOptionsSchema, options, 'goal options')),
    evaluate: async (userId, options = {}) =>
      engine.evaluateGoals(userId, parseInput(goalOptionsSchema, options, 'goal options')),
  };
}
