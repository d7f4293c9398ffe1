import type { ProviderAccount, ProviderTransaction, SyncPage } from '../ports/bank-provider.js';

/** The net effect of every page of one sync run. */
export interface ReducedSync {
  /** Latest data of each transaction still present after the last page, in order of first sight. */
  upserts: ProviderTransaction[];
  /** Provider ids removed by the run (including ones added earlier in the same run). */
  removed: string[];
  /** Latest report of each account. */
  accounts: ProviderAccount[];
}

/**
 * Folds the pages of a run into one batch. Pages are replayed in order, so a transaction added on
 * one page and modified on a later one becomes one upsert with the later data, and one added then
 * removed ends up removed. Within a page, removals go last: the provider never reuses an id, so a
 * removal is final.
 */
export function reduceSyncPages(pages: readonly SyncPage[]): ReducedSync {
  const state = new Map<string, ProviderTransaction | null>();
  const accounts = new Map<string, ProviderAccount>();
  for (const page of pages) {
    for (const txn of page.added) state.set(txn.providerTransactionId, txn);
    for (const txn of page.modified) state.set(txn.providerTransactionId, txn);
    for (const gone of page.removed) state.set(gone.providerTransactionId, null);
    for (const account of page.accounts) accounts.set(account.providerAccountId, account);
  }
  const upserts: ProviderTransaction[] = [];
  const removed: string[] = [];
  for (const [id, txn] of state) {
    if (txn === null) removed.push(id);
    else upserts.push(txn);
  }
  return { upserts, removed, accounts: [...accounts.values()] };
}
