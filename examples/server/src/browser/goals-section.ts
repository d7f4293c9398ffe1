/// <reference lib="dom" />
import { formatMoney } from '@finkit/core';
import type { Goal, GoalProjection } from './api-types.js';
import type { DashboardContext, Section } from './dashboard-context.js';
import { h } from './element.js';
import { goalProjectionChart } from './goal-projection-chart.js';

const statusLabel: Record<GoalProjection['status'], string> = {
  reached: 'reached',
  on_track: 'on track',
  off_track: 'off track',
  overdue: 'overdue',
  no_target_date: 'no target date',
};

/** Savings goals: where each stands and where it is heading. */
export function goalsSection(context: DashboardContext): Section {
  const list = h('div', { class: 'goals', 'data-testid': 'goals' });
  const element = h(
    'section',
    { class: 'card', 'aria-labelledby': 'goals-title' },
    h('header', {}, h('h2', { id: 'goals-title' }, 'Goals')),
    list,
  );

  function renderGoal(goal: Goal, projection: GoalProjection): HTMLElement {
    const money = (amount: number) => formatMoney({ amount, currency: projection.currency });
    return h(
      'article',
      { class: 'goal', 'data-goal-id': goal.id },
      h(
        'div',
        { class: 'budget-head' },
        h('strong', {}, goal.name),
        h('span', { class: `status status-${projection.status}` }, statusLabel[projection.status]),
      ),
      h(
        'div',
        { class: 'muted small' },
        `${money(projection.current)} of ${money(projection.target)} (${Math.round(projection.percent)}%)`,
        goal.targetDate ? ` · by ${goal.targetDate}` : '',
        projection.requiredMonthlyContribution
          ? ` · needs ${money(projection.requiredMonthlyContribution)}/month`
          : '',
        projection.projectedCompletionDate ? ` · at this pace: ${projection.projectedCompletionDate}` : '',
      ),
      goalProjectionChart(goal, projection),
    );
  }

  async function refresh() {
    const { items } = await context.api.get<{ items: Goal[] }>('/goals');
    const rendered = await Promise.all(
      items.map(async (goal) =>
        renderGoal(goal, await context.api.get<GoalProjection>(`/goals/${goal.id}/projections`)),
      ),
    );
    list.replaceChildren(...rendered);
    if (rendered.length === 0) list.replaceChildren(h('p', { class: 'muted' }, 'No goals yet.'));
  }

  return { element, refresh };
}
