/// <reference lib="dom" />
import type { DashboardContext } from './dashboard-context.js';
import { h } from './element.js';

interface Institution {
  institutionId: string;
  name: string;
}

/**
 * The sandbox's stand-in for Plaid Link: pick an institution, get a public token from /demo, and
 * exchange it through finkit's own POST /accounts/link exactly as an app would after Link.
 */
export function linkBankPanel(context: DashboardContext): { element: HTMLElement; toggle(): void } {
  const element = h('div', { class: 'link-panel', hidden: true, 'data-testid': 'link-panel' });

  async function link(institution: Institution, button: HTMLButtonElement) {
    button.disabled = true;
    try {
      const { publicToken } = await context.api.send<{ publicToken: string }>('POST', '/demo/public-token', {
        institutionId: institution.institutionId,
      });
      const linked = await context.api.send<{ accounts: unknown[] }>('POST', '/accounts/link', {
        publicToken,
      });
      element.hidden = true;
      context.notify(
        `Linked ${institution.name}: ${linked.accounts.length} accounts; transactions are syncing`,
      );
      context.refresh('accounts', 'transactions');
    } catch (error) {
      context.notify(`Linking ${institution.name} failed: ${(error as Error).message}`, 'error');
    } finally {
      button.disabled = false;
    }
  }

  async function open() {
    element.hidden = false;
    element.replaceChildren(h('p', { class: 'muted' }, 'Loading institutions…'));
    try {
      const { institutions } = await context.api.get<{ institutions: Institution[] }>('/demo/institutions');
      element.replaceChildren(
        h('p', {}, 'Pick a sandbox bank (this stands in for Plaid Link):'),
        h(
          'div',
          { class: 'institutions' },
          ...institutions.map((institution) => {
            const button = h('button', { type: 'button', class: 'institution' }, institution.name);
            button.addEventListener('click', () => void link(institution, button));
            return button;
          }),
        ),
      );
    } catch (error) {
      element.replaceChildren(h('p', { class: 'error' }, (error as Error).message));
    }
  }

  return {
    element,
    toggle: () => {
      if (element.hidden) void open();
      else element.hidden = true;
    },
  };
}
