/// <reference lib="dom" />
import { formatMoney } from '@finkit/core';
import type { Budget, BudgetProgress } from './api-types.js';
import type { DashboardContext, Section } from './dashboard-context.js';
import { h } from './element.js';

const historyPeriods = 3;

function dayBefore(date: string): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day - 1)).toISOString().slice(0, 10);
}

function percentOf(progress: BudgetProgress): number {
  return progress.percentUsed ?? 0;
}

const statusLabel: Record<BudgetProgress['status'], string> = {
  on_track: 'on track',
  at_risk: 'at risk',
  over: 'over budget',
};

/** One progress bar: spending against the budget, the alert thresholds, and where today falls. */
function progressBar(budget: Budget, progress: BudgetProgress): HTMLElement {
  const percent = percentOf(progress);
  const pace = progress.daysInPeriod > 0 ? (progress.daysElapsed / progress.daysInPeriod) * 100 : 0;
  return h(
    'div',
    {
      class: `bar status-${progress.status}`,
      role: 'progressbar',
      'aria-valuemin': 0,
      'aria-valuemax': 100,
      'aria-valuenow': Math.round(percent),
      'aria-label': `${budget.name}: ${Math.round(percent)}% used`,
    },
    h('div', { class: 'fill', style: `width:${Math.min(percent, 100)}%` }),
    h('div', { class: 'pace', style: `left:${Math.min(pace, 100)}%`, title: 'today' }),
    ...budget.thresholds
      .filter((t) => t <= 100)
      .map((t) => h('div', { class: 'threshold', style: `left:${t}%`, title: `alert at ${t}%` })),
  );
}

/** Budgets with this period's progress and the periods before it. */
export function budgetsSection(context: DashboardContext): Section {
  const list = h('div', { class: 'budgets', 'data-testid': 'budgets' });
  const element = h(
    'section',
    { class: 'card', 'aria-labelledby': 'budgets-title' },
    h('header', {}, h('h2', { id: 'budgets-title' }, 'Budgets')),
    list,
  );

  async function history(budget: Budget, current: BudgetProgress): Promise<BudgetProgress[]> {
    const periods: BudgetProgress[] = [];
    let start = current.period.start;
    for (let i = 0; i < historyPeriods && start > budget.startDate; i++) {
      const previous = await context.api.get<BudgetProgress>(
        `/budgets/${budget.id}/progress?date=${dayBefore(start)}`,
      );
      periods.push(previous);
      start = previous.period.start;
    }
    return periods;
  }

  function renderBudget(budget: Budget, progress: BudgetProgress, past: BudgetProgress[]): HTMLElement {
    const money = (amount: number) => formatMoney({ amount, currency: progress.currency });
    return h(
      'article',
      { class: 'budget', 'data-budget-id': budget.id },
      h(
        'div',
        { class: 'budget-head' },
        h('strong', {}, budget.name),
        h('span', { class: `status status-${progress.status}` }, statusLabel[progress.status]),
      ),
      progressBar(budget, progress),
      h(
        'div',
        { class: 'muted small' },
        `${money(progress.spent)} of ${money(progress.budgeted)} · ${Math.round(percentOf(progress))}% · `,
        progress.remaining >= 0 ? `${money(progress.remaining)} left` : `${money(-progress.remaining)} over`,
        ` · ${progress.period.start} to ${progress.period.end}`,
      ),
      past.length > 0
        ? h(
            'ul',
            { class: 'history', 'aria-label': `${budget.name}: earlier periods` },
            ...past.map((p) =>
              h(
                'li',
                { title: `${money(p.spent)} of ${money(p.budgeted)}` },
                h('span', { class: 'muted small' }, p.period.start.slice(0, 7)),
                h(
                  'span',
                  { class: `mini status-${p.status}` },
                  h('span', { style: `width:${Math.min(percentOf(p), 100)}%` }),
                ),
                h('span', { class: 'small' }, `${Math.round(percentOf(p))}%`),
              ),
            ),
          )
        : null,
    );
  }

  async function refresh() {
    const { items } = await context.api.get<{ items: Budget[] }>('/budgets');
    const rendered = await Promise.all(
      items.map(async (budget) => {
        const progress = await context.api.get<BudgetProgress>(`/budgets/${budget.id}/progress`);
        return renderBudget(budget, progress, await history(budget, progress));
      }),
    );
    list.replaceChildren(...rendered);
    if (rendered.length === 0) list.replaceChildren(h('p', { class: 'muted' }, 'No budgets yet.'));
  }

  return { element, refresh };
}
