/// <reference lib="dom" />
import { formatMoney } from '@finkit/core';
import type { Account, PublicConnection } from './api-types.js';
import type { DashboardContext, Section } from './dashboard-context.js';
import { h } from './element.js';
import { linkBankPanel } from './link-bank-panel.js';

/** Accounts grouped by bank connection, with each connection's status and "sync now". */
export function accountsSection(context: DashboardContext): Section {
  const list = h('div', { class: 'connections', 'data-testid': 'accounts' });
  const panel = linkBankPanel(context);
  const element = h(
    'section',
    { class: 'card accounts', 'aria-labelledby': 'accounts-title' },
    h(
      'header',
      {},
      h('h2', { id: 'accounts-title' }, 'Accounts'),
      context.demo ? h('button', { type: 'button', onclick: () => panel.toggle() }, 'Link a bank') : null,
    ),
    panel.element,
    list,
  );

  async function syncNow(connection: PublicConnection, account: Account, button: HTMLButtonElement) {
    button.disabled = true;
    button.textContent = 'Syncing…';
    try {
      const result = await context.api.send<{ added: number; modified: number; removed: number }>(
        'POST',
        `/accounts/${account.id}/sync`,
      );
      context.notify(
        `${connection.institutionName ?? 'Bank'}: ${result.added} new, ${result.modified} changed, ${result.removed} removed`,
      );
      context.refresh('accounts', 'transactions', 'budgets', 'goals');
    } catch (error) {
      context.notify(`Sync failed: ${(error as Error).message}`, 'error');
      button.disabled = false;
      button.textContent = 'Sync now';
    }
  }

  async function refresh() {
    const [accounts, connections] = await Promise.all([
      context.api.get<{ items: Account[] }>('/accounts'),
      context.api.get<{ items: PublicConnection[] }>('/connections'),
    ]);
    context.accounts = accounts.items;
    const groups = connections.items
      .map((connection) => ({
        connection,
        accounts: accounts.items.filter((a) => a.connectionId === connection.id),
      }))
      .filter((group) => group.accounts.length > 0);
    list.replaceChildren(
      ...groups.map(({ connection, accounts: owned }) => {
        const first = owned[0] as Account;
        const button = h('button', { type: 'button', class: 'small' }, 'Sync now');
        button.addEventListener('click', () => void syncNow(connection, first, button));
        const synced = connection.lastSyncedAt
          ? `synced ${new Date(connection.lastSyncedAt).toLocaleString()}`
          : 'not synced yet';
        return h(
          'div',
          { class: 'connection', 'data-connection-id': connection.id },
          h(
            'div',
            { class: 'connection-head' },
            h('strong', {}, connection.institutionName ?? connection.institutionId ?? 'Bank'),
            h('span', { class: `status status-${connection.status}` }, connection.status.replace('_', ' ')),
            h('span', { class: 'muted', title: connection.lastError?.message ?? '' }, synced),
            button,
          ),
          h(
            'ul',
            {},
            ...owned.map((account) =>
              h(
                'li',
                { class: 'account', 'data-account-id': account.id },
                h(
                  'span',
                  {},
                  account.name,
                  account.mask ? h('span', { class: 'muted' }, ` ••${account.mask}`) : null,
                ),
                h('span', { class: 'muted' }, account.subtype ?? account.type),
                h(
                  'span',
                  { class: 'amount' },
                  account.balances.current === null
                    ? '—'
                    : formatMoney({ amount: account.balances.current, currency: account.currency }),
                ),
              ),
            ),
          ),
        );
      }),
    );
    if (groups.length === 0) list.replaceChildren(h('p', { class: 'muted' }, 'No bank linked yet.'));
  }

  return { element, refresh };
}
