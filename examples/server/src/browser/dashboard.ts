/// <reference lib="dom" />
import { formatMoney } from '@finkit/core';
import { accountsSection } from './accounts-section.js';
import type { Budget, Category, LiveEvent } from './api-types.js';
import { budgetsSection } from './budgets-section.js';
import { connectLiveEvents } from './connect-live-events.js';
import { createApiClient } from './create-api-client.js';
import type { DashboardContext, Section, SectionName } from './dashboard-context.js';
import { h } from './element.js';
import { goalsSection } from './goals-section.js';
import { notificationsSection } from './notifications-section.js';
import { showToast } from './show-toast.js';
import { transactionsSection } from './transactions-section.js';

// The server put the demo user's token in the page (a local demo; a real app signs its users in).
const token = document.querySelector<HTMLMetaElement>('meta[name="finkit-demo-token"]')?.content ?? '';
const api = createApiClient(token);
const toasts = h('div', { class: 'toasts', 'data-testid': 'toasts', 'aria-live': 'polite' });
const pending = new Set<SectionName>();
let scheduled = false;

const context: DashboardContext = {
  api,
  accounts: [],
  categories: [],
  demo: document.body.dataset.demo === 'true',
  notify: (message, kind = 'info') => showToast(toasts, message, kind),
  refresh: (...names) => {
    for (const name of names) pending.add(name);
    // A sync publishes an event per transaction: gather a burst into one reload per section.
    if (scheduled) return;
    scheduled = true;
    setTimeout(() => {
      scheduled = false;
      const due = [...pending];
      pending.clear();
      // Accounts first: the transaction rows name their account.
      void reload(due.filter((n) => n === 'accounts')).then(() =>
        reload(due.filter((n) => n !== 'accounts')),
      );
    }, 150);
  },
};

const sections: Record<SectionName, Section> = {
  accounts: accountsSection(context),
  transactions: transactionsSection(context),
  budgets: budgetsSection(context),
  goals: goalsSection(context),
  notifications: notificationsSection(context),
};

async function reload(names: SectionName[]): Promise<void> {
  await Promise.all(
    names.map((name) =>
      sections[name].refresh().catch((error: unknown) => {
        context.notify(`Could not load ${name}: ${(error as Error).message}`, 'error');
      }),
    ),
  );
}

const live = h('span', { class: 'live', 'data-live': 'connecting', title: 'live updates' }, 'connecting…');
const today = h('span', { class: 'muted', 'data-testid': 'sandbox-today' });
const advance = h('button', { type: 'button', 'data-testid': 'advance' }, 'Advance 3 days');
advance.addEventListener('click', async () => {
  advance.disabled = true;
  try {
    const result = await api.send<{ today: string }>('POST', '/demo/advance', { days: 3 });
    today.textContent = `sandbox date ${result.today}`;
  } catch (error) {
    context.notify(`Advance failed: ${(error as Error).message}`, 'error');
  } finally {
    advance.disabled = false;
  }
});

function budgetAlert(data: Record<string, unknown>): void {
  const { budgetId, threshold, spent, budgeted, currency } = data as {
    budgetId: string;
    threshold: number;
    spent: number;
    budgeted: number;
    currency: string;
  };
  void api
    .get<Budget>(`/budgets/${budgetId}`)
    .catch(() => null)
    .then((budget) => {
      context.notify(
        `Budget “${budget?.name ?? budgetId}” crossed ${threshold}%: ` +
          `${formatMoney({ amount: spent, currency })} of ${formatMoney({ amount: budgeted, currency })}`,
        'alert',
      );
    });
}

function onEvent(event: LiveEvent): void {
  if (
    event.type === 'transaction.created' ||
    event.type === 'transaction.updated' ||
    event.type === 'transaction.removed'
  ) {
    context.refresh('transactions');
  } else if (event.type === 'transactions.synced') {
    context.refresh('accounts', 'transactions', 'budgets', 'goals');
  } else if (event.type === 'budget.threshold_crossed') {
    budgetAlert(event.data);
    context.refresh('budgets');
  } else if (event.type.startsWith('connection.')) {
    context.refresh('accounts');
    if (event.type === 'connection.error' || event.type === 'connection.reauth_required') {
      context.notify(
        `A bank connection needs attention: ${String(event.data.message ?? event.data.code)}`,
        'error',
      );
    }
  } else if (event.type.startsWith('goal.')) {
    context.refresh('goals');
  } else if (event.type === 'events.missed') {
    context.refresh('accounts', 'transactions', 'budgets', 'goals');
  }
}

async function start(): Promise<void> {
  document.body.replaceChildren(
    h(
      'header',
      { class: 'top' },
      h('h1', {}, 'finkit ', h('span', { class: 'muted' }, 'demo dashboard')),
      h('div', { class: 'top-actions' }, context.demo ? today : null, context.demo ? advance : null, live),
    ),
    h(
      'main',
      {},
      h(
        'div',
        { class: 'column' },
        sections.accounts.element,
        sections.budgets.element,
        sections.goals.element,
        sections.notifications.element,
      ),
      h('div', { class: 'column wide' }, sections.transactions.element),
    ),
    toasts,
  );
  connectLiveEvents({
    token,
    onEvent,
    onState: (state) => {
      live.dataset.live = state;
      live.textContent = state === 'open' ? 'live' : state === 'connecting' ? 'connecting…' : 'offline';
    },
  });
  const [{ items }, demoInfo] = await Promise.all([
    api.get<{ items: Category[] }>('/categories'),
    context.demo ? api.get<{ today: string }>('/demo/institutions').catch(() => null) : null,
  ]);
  context.categories = items;
  if (demoInfo) today.textContent = `sandbox date ${demoInfo.today}`;
  await reload(['accounts']);
  await reload(['transactions', 'budgets', 'goals', 'notifications']);
  document.body.dataset.ready = 'true';
}

void start();
