import { addDays } from './calendar-date.js';
import type { Prng } from './create-prng.js';
import { planDay } from './plan-day.js';
import { type AccountTemplate, accountTemplates, type PfcCategory } from './sandbox-catalog.js';
import type { PlaidErrorBody } from './sandbox-plaid-error.js';

export interface SandboxTransaction {
  transactionId: string;
  accountId: string;
  /** Plaid's sign (positive is money out), integer minor units. */
  amount: number;
  currency: string;
  date: string;
  authorizedDate: string | null;
  name: string;
  merchantName: string | null;
  pending: boolean;
  pendingTransactionId: string | null;
  category: PfcCategory & { confidenceLevel: string };
  channel: 'online' | 'in store' | 'other';
}

/** One entry of an item's change log; `/transactions/sync` pages through it. */
export interface SyncEvent {
  kind: 'added' | 'modified' | 'removed';
  /** The transaction as it was when the change happened (a snapshot, never mutated). */
  transaction: Readonly<SandboxTransaction>;
}

export interface SandboxAccount {
  accountId: string;
  template: AccountTemplate;
}

export interface SandboxBalances {
  current: number;
  available: number | null;
  limit: number | null;
}

export interface SandboxItem {
  readonly itemId: string;
  readonly accessToken: string;
  readonly institutionId: string;
  readonly institutionName: string;
  readonly createdDate: string;
  readonly accounts: readonly SandboxAccount[];
  /** Append-only: positions in it are what cursors point at. */
  readonly log: readonly SyncEvent[];
  webhook: string | null;
  /** Fixed by the first transactions request (or at link); null until then. */
  daysRequested: number | null;
  /** A persistent item error (e.g. ITEM_LOGIN_REQUIRED) until the user repairs the login. */
  error: PlaidErrorBody | null;
  removed: boolean;
  /** Simulates one more day of banking; returns how many log entries it appended. */
  simulateDay(date: string): number;
  /** Transactions older than this date are outside the item's history window. */
  historyStart(): string;
  /** The current, non-removed transactions inside the history window, by date then id. */
  truth(): SandboxTransaction[];
  balances(account: SandboxAccount): SandboxBalances;
  /** Current transaction by id (including ones outside the window), or undefined. */
  find(transactionId: string): SandboxTransaction | undefined;
}

interface PendingMeta {
  postDate: string;
  postAdjustment: number;
  enrichedMerchantName: string | null;
}

export const defaultDaysRequested = 90;

const byDateThenId = (a: SandboxTransaction, b: SandboxTransaction): number =>
  a.date < b.date ? -1 : a.date > b.date ? 1 : a.transactionId < b.transactionId ? -1 : 1;

/**
 * An item with its accounts and `historyDays` of history ending at `today`, generated from
 * `rng` alone so the same seed always yields the same bank.
 */
export function createSandboxItem(input: {
  rng: Prng;
  institutionId: string;
  institutionName: string;
  today: string;
  historyDays: number;
  webhook: string | null;
  daysRequested: number | null;
}): SandboxItem {
  const { rng } = input;
  const itemId = rng.id(37);
  const hex = '0123456789abcdef';
  const accessToken = `access-sandbox-${rng.id(8, hex)}-${rng.id(4, hex)}-${rng.id(4, hex)}-${rng.id(4, hex)}-${rng.id(12, hex)}`;
  const accounts: SandboxAccount[] = accountTemplates.map((template) => ({
    accountId: rng.id(37),
    template,
  }));
  const accountByKey = new Map(accounts.map((a) => [a.template.key, a]));
  const transactions = new Map<string, SandboxTransaction>();
  const pendingMeta = new Map<string, PendingMeta>();
  const enrichment = new Map<string, string>();
  const postedSum = new Map<string, number>(accounts.map((a) => [a.accountId, 0]));
  let log: SyncEvent[] = [];

  const record = (kind: SyncEvent['kind'], txn: SandboxTransaction): void => {
    log.push({ kind, transaction: Object.freeze({ ...txn, category: { ...txn.category } }) });
  };
  const adjustPosted = (txn: SandboxTransaction, sign: 1 | -1): void => {
    if (!txn.pending) postedSum.set(txn.accountId, (postedSum.get(txn.accountId) ?? 0) + sign * txn.amount);
  };
  const add = (txn: SandboxTransaction): void => {
    transactions.set(txn.transactionId, txn);
    adjustPosted(txn, 1);
    record('added', txn);
  };
  const remove = (txn: SandboxTransaction): void => {
    transactions.delete(txn.transactionId);
    pendingMeta.delete(txn.transactionId);
    enrichment.delete(txn.transactionId);
    adjustPosted(txn, -1);
    record('removed', txn);
  };

  const simulateDay = (date: string): number => {
    const before = log.length;
    // Pending charges settle first: Plaid removes the pending id and adds a posted one.
    for (const [pendingId, meta] of [...pendingMeta]) {
      if (meta.postDate > date) continue;
      const pending = transactions.get(pendingId);
      if (!pending) continue;
      remove(pending);
      const posted: SandboxTransaction = {
        ...pending,
        transactionId: rng.id(37),
        amount: pending.amount + meta.postAdjustment,
        date: meta.postDate,
        authorizedDate: pending.date,
        pending: false,
        pendingTransactionId: pendingId,
        category: { ...pending.category },
      };
      if (meta.enrichedMerchantName && posted.merchantName === null) {
        enrichment.set(posted.transactionId, meta.enrichedMerchantName);
      }
      add(posted);
    }
    const credit = accountByKey.get('credit');
    const cardBalance = credit ? credit.template.openingBalance + (postedSum.get(credit.accountId) ?? 0) : 0;
    for (const planned of planDay(date, rng, cardBalance)) {
      const account = accountByKey.get(planned.account);
      if (!account) continue;
      const txn: SandboxTransaction = {
        transactionId: rng.id(37),
        accountId: account.accountId,
        amount: planned.amount,
        currency: 'USD',
        date,
        authorizedDate: date,
        name: planned.name,
        merchantName: planned.merchantName,
        pending: planned.postDelay > 0,
        pendingTransactionId: null,
        category: {
          ...planned.category,
          confidenceLevel: planned.merchantName ? 'VERY_HIGH' : planned.channel === 'other' ? 'HIGH' : 'LOW',
        },
        channel: planned.channel,
      };
      if (txn.pending) {
        pendingMeta.set(txn.transactionId, {
          postDate: addDays(date, planned.postDelay),
          postAdjustment: planned.postAdjustment,
          enrichedMerchantName: planned.enrichedMerchantName,
        });
      }
      add(txn);
    }
    // Plaid enriches some transactions after they post: a modification with a merchant name.
    if (rng.chance(0.3)) {
      const [id, merchantName] = enrichment.entries().next().value ?? [];
      const txn = id === undefined ? undefined : transactions.get(id);
      if (txn && id !== undefined && merchantName !== undefined) {
        enrichment.delete(id);
        const modified = {
          ...txn,
          merchantName,
          category: { ...txn.category, confidenceLevel: 'VERY_HIGH' },
        };
        transactions.set(id, modified);
        record('modified', modified);
      }
    }
    // Occasionally a posted purchase is reversed and disappears.
    if (rng.chance(0.04)) {
      const since = addDays(date, -10);
      const candidates = [...transactions.values()].filter(
        (t) => !t.pending && t.merchantName === 'Amazon' && t.date >= since,
      );
      if (candidates.length > 0) remove(rng.pick(candidates));
    }
    return log.length - before;
  };

  const firstDay = addDays(input.today, -input.historyDays);
  for (let day = firstDay; day <= input.today; day = addDays(day, 1)) simulateDay(day);
  // The item starts life with its history as one batch of additions; the simulated churn
  // before the link is not something a client could ever have seen.
  log = [...transactions.values()]
    .sort(byDateThenId)
    .map((txn) => ({ kind: 'added', transaction: Object.freeze({ ...txn }) }));

  const item: SandboxItem = {
    itemId,
    accessToken,
    institutionId: input.institutionId,
    institutionName: input.institutionName,
    createdDate: input.today,
    accounts,
    get log() {
      return log;
    },
    webhook: input.webhook,
    daysRequested: input.daysRequested,
    error: null,
    removed: false,
    simulateDay,
    historyStart: () => addDays(input.today, -(item.daysRequested ?? defaultDaysRequested)),
    truth: () => {
      const start = item.historyStart();
      return [...transactions.values()].filter((t) => t.date >= start).sort(byDateThenId);
    },
    balances: (account) => {
      const { template } = account;
      const posted = postedSum.get(account.accountId) ?? 0;
      let pendingOut = 0;
      for (const t of transactions.values()) {
        if (t.pending && t.accountId === account.accountId && t.amount > 0) pendingOut += t.amount;
      }
      if (template.type === 'credit') {
        const current = template.openingBalance + posted;
        const limit = template.limit;
        return { current, available: limit === null ? null : limit - current - pendingOut, limit };
      }
      const current = template.openingBalance - posted;
      return { current, available: current - pendingOut, limit: null };
    },
    find: (id) => transactions.get(id),
  };
  return item;
}
