import type { Account, Category } from './api-types.js';
import type { ApiClient } from './create-api-client.js';

/** What the dashboard's sections share: the API, the lists others need, and a way to tell the user. */
export interface DashboardContext {
  api: ApiClient;
  /** Filled before the sections render; kept current as accounts are linked. */
  accounts: Account[];
  categories: Category[];
  /** Whether the server has the sandbox's /demo routes (link a bank, advance the clock). */
  demo: boolean;
  notify(message: string, kind?: 'info' | 'alert' | 'error'): void;
  /** Reloads these sections soon; many calls in a row make one reload each. */
  refresh(...sections: SectionName[]): void;
}

export type SectionName = 'accounts' | 'transactions' | 'budgets' | 'goals' | 'notifications';

export interface Section {
  element: HTMLElement;
  refresh(): Promise<void>;
}
