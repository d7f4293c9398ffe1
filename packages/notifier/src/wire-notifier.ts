import type { Finkit, FinkitEvent } from '@finkit/core';
import type { NotifierService } from './create-notifier.js';
import { createMemoryPreferences } from './preferences/create-memory-preferences.js';
import type { NotificationPreferences } from './preferences/notification-preferences.js';
import { notificationTemplates, type RenderedNotification } from './templates/notification-templates.js';

export interface WireNotifierOptions {
  /** The same preferences the notifier reads (locale, large-transaction threshold). */
  preferences?: NotificationPreferences;
  onError?: (error: unknown, event: FinkitEvent) => void;
}

export interface NotifierWiring {
  /** Sends the weekly summary of the 7 days from `weekStart` (`YYYY-MM-DD`); call it from a weekly job. */
  sendWeeklySummary(userId: string, weekStart: string): Promise<void>;
  /** Resolves when every event received so far has been handed to the notifier. */
  idle(): Promise<void>;
  /** Stops listening. */
  stop(): void;
}

const addDays = (date: string, days: number): string => {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
};

/**
 * Subscribes the notifier to finkit's events: budget thresholds, goal milestones and off-track
 * goals, connections needing re-authentication and (per the user's threshold) large transactions
 * become templated notifications, each with a dedupe key derived from the event, so an event
 * published twice reaches the user once.
 */
export function wireNotifier(
  finkit: Finkit,
  notifier: NotifierService,
  options: WireNotifierOptions = {},
): NotifierWiring {
  const preferences = options.preferences ?? createMemoryPreferences();
  const onError =
    options.onError ??
    ((error: unknown) => console.error('finkit notifier: could not notify about an event', error));
  const pending = new Set<Promise<void>>();

  const send = async (
    userId: string,
    type: string,
    dedupeKey: string,
    rendered: RenderedNotification,
    data: Record<string, unknown>,
  ) => {
    await notifier.send({
      userId,
      type,
      dedupeKey,
      title: rendered.title,
      body: rendered.body,
      html: rendered.html,
      data,
    });
  };

  const handlers: { [K in FinkitEvent['type']]?: (event: FinkitEvent<K>) => Promise<void> } = {
    'budget.threshold_crossed': async ({ userId, data }) => {
      const { locale } = await preferences.get(userId);
      const budget = await finkit.budgets.get(userId, data.budgetId);
      const rendered = notificationTemplates.budgetThresholdCrossed(
        {
          budgetName: budget.name,
          threshold: data.threshold,
          spent: { amount: data.spent, currency: data.currency },
          budgeted: { amount: data.budgeted, currency: data.currency },
        },
        { locale },
      );
      await send(
        userId,
        'budget.threshold_crossed',
        `budget:${data.budgetId}:${data.periodStart}:${data.threshold}`,
        rendered,
        data,
      );
    },
    'goal.milestone_reached': async ({ userId, data }) => goalMilestone(userId, data.goalId, data.percent),
    'goal.reached': async ({ userId, data }) => goalMilestone(userId, data.goalId, 100),
    'goal.off_track': async ({ userId, at, data }) => {
      const { locale } = await preferences.get(userId);
      const goal = await finkit.goals.get(userId, data.goalId);
      const rendered = notificationTemplates.goalOffTrack(
        { goalName: goal.name, targetDate: goal.targetDate },
        { locale },
      );
      await send(userId, 'goal.off_track', `goal:${data.goalId}:off_track:${at.slice(0, 7)}`, rendered, data);
    },
    'connection.reauth_required': async ({ userId, at, data }) => {
      const { locale } = await preferences.get(userId);
      const connection = await finkit.connections.get(userId, data.connectionId);
      const rendered = notificationTemplates.connectionReauthRequired(
        { institutionName: connection.institutionName },
        { locale },
      );
      await send(
        userId,
        'connection.reauth_required',
        `connection:${data.connectionId}:reauth:${at.slice(0, 10)}`,
        rendered,
        data,
      );
    },
    'transactions.synced': async ({ userId, data }) => {
      const { locale, largeTransactionThreshold } = await preferences.get(userId);
      if (largeTransactionThreshold === null || data.added.length === 0) return;
      for (const id of data.added) {
        const transaction = await finkit.transactions.get(userId, id);
        if (Math.abs(transaction.amount) < largeTransactionThreshold) continue;
        const rendered = notificationTemplates.largeTransaction(
          {
            amount: { amount: transaction.amount, currency: transaction.currency },
            description: transaction.merchantName ?? transaction.description,
            date: transaction.date,
          },
          { locale },
        );
        await send(userId, 'transaction.large', `transaction:${id}:large`, rendered, { transactionId: id });
      }
    },
  };

  async function goalMilestone(userId: string, goalId: string, percent: number): Promise<void> {
    const { locale } = await preferences.get(userId);
    const goal = await finkit.goals.get(userId, goalId);
    const progress = await finkit.goals.progress(userId, goalId);
    const rendered = notificationTemplates.goalMilestone(
      {
        goalName: goal.name,
        percent,
        saved: { amount: progress.current, currency: goal.currency },
        target: { amount: goal.targetAmount, currency: goal.currency },
      },
      { locale },
    );
    await send(
      userId,
      percent >= 100 ? 'goal.reached' : 'goal.milestone_reached',
      `goal:${goalId}:milestone:${percent}`,
      rendered,
      { goalId, percent },
    );
  }

  const unsubscribe = finkit.events.subscribe('*', (event) => {
    const handler = handlers[event.type] as ((event: FinkitEvent) => Promise<void>) | undefined;
    if (handler === undefined) return;
    const run = handler(event)
      .catch((error: unknown) => onError(error, event))
      .finally(() => pending.delete(run));
    pending.add(run);
  });

  return {
    async sendWeeklySummary(userId, weekStart) {
      const { locale, currency } = await preferences.get(userId);
      const weekEnd = addDays(weekStart, 6);
      const rows = await finkit.context.store.transactions.aggregate(userId, {
        groupBy: 'none',
        filter: { from: weekStart, to: weekEnd },
      });
      // One summary in the user's currency; other currencies are left out rather than mixed.
      const row = rows.find((r) => r.currency === currency) ?? { inflow: 0, outflow: 0, count: 0 };
      const rendered = notificationTemplates.weeklySummary(
        {
          weekStart,
          weekEnd,
          inflow: { amount: row.inflow, currency },
          outflow: { amount: row.outflow, currency },
          count: row.count,
        },
        { locale },
      );
      await send(userId, 'summary.weekly', `summary:weekly:${weekStart}`, rendered, { weekStart, weekEnd });
    },
    async idle() {
      while (pending.size > 0) await Promise.all(pending);
    },
    stop: unsubscribe,
  };
}
