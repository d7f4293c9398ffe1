import { addDays } from '../budgets/calendar-date.js';
import { zonedDate } from '../budgets/zoned-date.js';
import { FinkitError, notFound } from '../errors/finkit-error.js';
import type { Clock } from '../ports/clock.js';
import type { EventBus } from '../ports/event-bus.js';
import type { Store } from '../ports/store.js';
import type { FinkitEvent } from '../schemas/event.js';
import type { Goal } from '../schemas/goal.js';
import { monthlyPace, type PaceWindow, paceWindow } from './goal-pace.js';
import { type GoalProjection, projectGoal } from './goal-projection.js';

export interface GoalEngineDeps {
  store: Store;
  events: EventBus;
  clock: Clock;
}

export interface GoalProgress extends GoalProjection {
  goalId: string;
  currency: string;
  /** Where `current` comes from: the linked account's balance, or starting amount + contributions. */
  source: 'account' | 'contributions';
}

export interface GoalOptions {
  /** The zone that decides the user's "today". Default UTC. */
  timezone?: string;
}

export type GoalEvent = FinkitEvent<'goal.milestone_reached' | 'goal.reached' | 'goal.off_track'>;

export interface GoalEngine {
  /** Progress and projection of one goal. @throws NOT_FOUND */
  progress(userId: string, goalId: string, options?: GoalOptions): Promise<GoalProgress>;
  /**
   * Publishes `goal.milestone_reached` at 25, 50, 75 and 100% once each per goal (with
   * `goal.reached` alongside the 100% one), and `goal.off_track` at most once per calendar month
   * while a goal with a date is behind its pace. Once is kept by `store.goals.recordMilestone`, so
   * re-evaluation, a restart or a concurrent evaluation never repeats one. Returns what it published.
   */
  evaluateGoals(userId: string, options?: GoalOptions): Promise<GoalEvent[]>;
}

export const goalMilestones = [25, 50, 75, 100] as const;

/** Credit cards and loans report what is owed; as progress toward a goal that is negative. */
const owedTypes = new Set(['credit', 'loan']);

export function createGoalEngine({ store, events, clock }: GoalEngineDeps): GoalEngine {
  function todayIn(options: GoalOptions): string {
    try {
      return zonedDate(clock.now(), options.timezone ?? 'UTC');
    } catch (error) {
      throw new FinkitError('VALIDATION', `Unknown time zone: ${options.timezone}`, {
        cause: error,
        details: { issues: [{ path: 'timezone', message: 'Unknown IANA time zone' }] },
      });
    }
  }

  async function fromAccount(userId: string, goal: Goal, accountId: string, today: string) {
    const account = await store.accounts.get(userId, accountId);
    if (account === null) return null;
    const balance = account.balances.current ?? 0;
    const window = paceWindow(today, null);
    // The account's own net flow is its pace: deposits, withdrawals, interest, card payments.
    const rows = await store.transactions.aggregate(userId, {
      groupBy: 'none',
      filter: { accountIds: [accountId], from: addDays(window.from, 1), to: today, includeHidden: true },
    });
    const net = rows
      .filter((row) => row.currency === goal.currency)
      .reduce((sum, row) => sum + row.inflow + row.outflow, 0);
    const current = owedTypes.has(account.type) ? -balance : balance;
    return { current: current === 0 ? 0 : current, pace: monthlyPace(net, window) };
  }

  async function fromContributions(userId: string, goal: Goal, today: string) {
    const contributions = await store.goals.listContributions(userId, goal.id);
    const started = zonedDate(goal.createdAt, 'UTC');
    const first = contributions[0]?.date;
    const window: PaceWindow = paceWindow(today, first !== undefined && first < started ? first : started);
    let current = goal.startingAmount;
    let net = 0;
    for (const contribution of contributions) {
      current += contribution.amount;
      if (contribution.date > window.from && contribution.date <= window.to) net += contribution.amount;
    }
    return { current, pace: monthlyPace(net, window) };
  }

  async function progressOf(userId: string, goal: Goal, today: string): Promise<GoalProgress> {
    const linked =
      goal.linkedAccountId === null ? null : await fromAccount(userId, goal, goal.linkedAccountId, today);
    // A linked account that is gone (unlinked) leaves the manual record as the progress.
    const { current, pace } = linked ?? (await fromContributions(userId, goal, today));
    const projection = projectGoal({
      current,
      target: goal.targetAmount,
      annualYield: goal.annualYield,
      targetDate: goal.targetDate,
      today,
      monthlyPace: pace,
    });
    return {
      goalId: goal.id,
      currency: goal.currency,
      source: linked ? 'account' : 'contributions',
      ...projection,
    };
  }

  // Alerts this engine has seen recorded; a record is permanent, so the store need not be asked again.
  const recorded = new Set<string>();

  async function record(userId: string, goalId: string, key: string): Promise<boolean> {
    const memo = `${userId}\u0000${goalId}\u0000${key}`;
    if (recorded.has(memo)) return false;
    try {
      const first = await store.goals.recordMilestone(userId, goalId, key);
      if (recorded.size >= 100_000) recorded.clear();
      recorded.add(memo);
      return first;
    } catch (error) {
      // Deleted while being evaluated: nothing left to alert about.
      if (FinkitError.hasCode(error, 'NOT_FOUND')) return false;
      throw error;
    }
  }

  return {
    async progress(userId, goalId, options = {}) {
      const today = todayIn(options);
      const goal = await store.goals.get(userId, goalId);
      if (goal === null) throw notFound('Goal', goalId);
      return progressOf(userId, goal, today);
    },

    async evaluateGoals(userId, options = {}) {
      const today = todayIn(options);
      const published: GoalEvent[] = [];
      const publish = async (event: GoalEvent) => {
        await events.publish(event);
        published.push(event);
      };
      const at = () => clock.now().toISOString();
      for (const goal of await store.goals.list(userId)) {
        const progress = await progressOf(userId, goal, today);
        for (const percent of goalMilestones) {
          // Integer comparison: current / target ≥ percent / 100.
          if (progress.current * 100 < percent * goal.targetAmount) break;
          if (!(await record(userId, goal.id, `milestone:${percent}`))) continue;
          await publish({
            type: 'goal.milestone_reached',
            userId,
            at: at(),
            data: { goalId: goal.id, percent },
          });
          if (percent === 100)
            await publish({ type: 'goal.reached', userId, at: at(), data: { goalId: goal.id } });
        }
        if (
          progress.status === 'off_track' &&
          (await record(userId, goal.id, `off_track:${today.slice(0, 7)}`))
        ) {
          await publish({ type: 'goal.off_track', userId, at: at(), data: { goalId: goal.id } });
        }
      }
      return published;
    },
  };
}
