/// <reference lib="dom" />
import { formatMoney } from '@finkit/core';
import type { Page, Transaction } from './api-types.js';
import { ApiError } from './create-api-client.js';
import type { DashboardContext, Section } from './dashboard-context.js';
import { h } from './element.js';

interface Filters {
  from: string;
  to: string;
  accountId: string;
  categoryId: string;
  q: string;
}

const pageSize = 100;

/** Transactions with filters, search by meaning, and category editing in place. */
export function transactionsSection(context: DashboardContext): Section {
  const from = h('input', { type: 'date', name: 'from', 'aria-label': 'From date' });
  const to = h('input', { type: 'date', name: 'to', 'aria-label': 'To date' });
  const account = h('select', { name: 'accountId', 'aria-label': 'Account' });
  const category = h('select', { name: 'categoryId', 'aria-label': 'Category' });
  const text = h('input', {
    type: 'search',
    name: 'q',
    placeholder: 'Text in description…',
    'aria-label': 'Text',
  });
  const filterForm = h(
    'form',
    { class: 'filters', 'data-testid': 'filters' },
    from,
    to,
    account,
    category,
    text,
    h('button', { type: 'submit' }, 'Filter'),
  );
  const searchInput = h('input', {
    type: 'search',
    name: 'query',
    placeholder: 'Search by meaning, e.g. “coffee shops”',
    'aria-label': 'Search by meaning',
  });
  const searchForm = h(
    'form',
    { class: 'search', 'data-testid': 'search' },
    searchInput,
    h('button', { type: 'submit' }, 'Search'),
  );
  const message = h('p', { class: 'message', 'data-testid': 'transactions-message', hidden: true });
  const body = h('tbody', { 'data-testid': 'transactions' });
  const table = h(
    'table',
    { class: 'transactions' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}, 'Date'),
        h('th', {}, 'Description'),
        h('th', {}, 'Account'),
        h('th', {}, 'Category'),
        h('th', { class: 'amount' }, 'Amount'),
      ),
    ),
    body,
  );
  const element = h(
    'section',
    { class: 'card transactions-card', 'aria-labelledby': 'transactions-title' },
    h('header', {}, h('h2', { id: 'transactions-title' }, 'Transactions')),
    filterForm,
    searchForm,
    message,
    h('div', { class: 'table-wrap' }, table),
  );

  // Rows seen in the last render of the same filters, so rows arriving live can be marked.
  let knownIds: Set<string> | null = null;
  const arrivedIds = new Set<string>();
  let searching: string | null = null;

  filterForm.addEventListener('submit', (event) => {
    event.preventDefault();
    searching = null;
    knownIds = null;
    arrivedIds.clear();
    void refresh();
  });
  searchForm.addEventListener('submit', (event) => {
    event.preventDefault();
    searching = searchInput.value.trim() || null;
    knownIds = null;
    arrivedIds.clear();
    void refresh();
  });

  function filters(): Filters {
    return {
      from: from.value,
      to: to.value,
      accountId: account.value,
      categoryId: category.value,
      q: text.value,
    };
  }

  function fillSelect(select: HTMLSelectElement, all: string, options: { value: string; label: string }[]) {
    const current = select.value;
    select.replaceChildren(
      h('option', { value: '' }, all),
      ...options.map((o) => h('option', { value: o.value, selected: o.value === current }, o.label)),
    );
  }

  function showMessage(textContent: string | null, kind: 'info' | 'error' = 'info') {
    message.hidden = textContent === null;
    message.className = `message ${kind}`;
    message.textContent = textContent ?? '';
  }

  async function edit(transaction: Transaction, categoryId: string, row: HTMLTableRowElement) {
    try {
      const updated = await context.api.send<Transaction>('PATCH', `/transactions/${transaction.id}`, {
        categoryId,
      });
      row.replaceWith(renderRow(updated, row.classList.contains('new')));
      context.refresh('budgets');
    } catch (error) {
      context.notify(`Could not change the category: ${(error as Error).message}`, 'error');
    }
  }

  function renderRow(transaction: Transaction, isNew: boolean): HTMLTableRowElement {
    const accountName = context.accounts.find((a) => a.id === transaction.accountId)?.name ?? '';
    const source = transaction.sources.categoryId ?? 'provider';
    const select = h(
      'select',
      { class: 'category', 'aria-label': `Category of ${transaction.description}` },
      ...context.categories.map((c) =>
        h('option', { value: c.id, selected: c.id === transaction.categoryId }, c.name),
      ),
    );
    const row = h(
      'tr',
      {
        'data-transaction-id': transaction.id,
        class: [isNew ? 'new' : '', transaction.pending ? 'pending' : ''].join(' ').trim(),
        'data-new': isNew,
      },
      h('td', { class: 'date' }, transaction.date),
      h(
        'td',
        {},
        h('div', {}, transaction.merchantName ?? transaction.description),
        h(
          'div',
          { class: 'muted small' },
          transaction.description,
          transaction.pending ? h('span', { class: 'pill' }, 'pending') : null,
        ),
      ),
      h('td', { class: 'muted' }, accountName),
      h(
        'td',
        { class: 'category-cell' },
        select,
        h(
          'span',
          {
            class: `badge source-${source}`,
            title: transaction.categoryExplanation,
            'data-testid': 'category-source',
          },
          source,
        ),
        h('div', { class: 'muted small explanation' }, transaction.categoryExplanation),
      ),
      h(
        'td',
        { class: `amount ${transaction.amount < 0 ? 'out' : 'in'}` },
        formatMoney({ amount: transaction.amount, currency: transaction.currency }),
      ),
    );
    select.addEventListener('change', () => void edit(transaction, select.value, row));
    return row;
  }

  async function load(): Promise<Transaction[]> {
    const current = filters();
    if (searching) {
      const filter = {
        ...(current.from ? { from: current.from } : {}),
        ...(current.to ? { to: current.to } : {}),
        ...(current.accountId ? { accountIds: [current.accountId] } : {}),
        ...(current.categoryId ? { categoryIds: [current.categoryId] } : {}),
      };
      try {
        const found = await context.api.send<{ items: { transaction: Transaction }[] }>(
          'POST',
          '/transactions/search',
          { query: searching, k: 20, filter },
        );
        showMessage(`${found.items.length} closest in meaning to “${searching}”.`);
        return found.items.map((item) => item.transaction);
      } catch (error) {
        if (error instanceof ApiError && error.status === 501) {
          showMessage(
            'Search by meaning is off on this server: it runs without an embedder (FINKIT_EMBEDDER=none) ' +
              'or its store has no vector search. The text filter above still finds words.',
            'error',
          );
          return [];
        }
        throw error;
      }
    }
    const query = new URLSearchParams({ limit: String(pageSize) });
    for (const [name, value] of Object.entries(current)) if (value) query.set(name, value);
    const page = await context.api.get<Page<Transaction>>(`/transactions?${query}`);
    showMessage(page.items.length === 0 ? 'No transactions match these filters.' : null);
    return page.items;
  }

  async function refresh() {
    fillSelect(
      account,
      'All accounts',
      context.accounts.map((a) => ({ value: a.id, label: a.mask ? `${a.name} ••${a.mask}` : a.name })),
    );
    fillSelect(
      category,
      'All categories',
      context.categories.map((c) => ({ value: c.id, label: c.name })),
    );
    const items = await load();
    const previous = knownIds;
    if (previous) for (const t of items) if (!previous.has(t.id)) arrivedIds.add(t.id);
    body.replaceChildren(...items.map((t) => renderRow(t, arrivedIds.has(t.id))));
    knownIds = new Set(items.map((t) => t.id));
  }

  return { element, refresh };
}
