import type { Transaction, TransactionFilter } from '../schemas/transaction.js';

/**
 * The meaning of a TransactionFilter, as one predicate every store must agree with. Removed rows
 * never match; hidden ones only with `includeHidden`. An empty `accountIds` or `categoryIds`
 * list restricts nothing (as an absent one), so "a budget over all categories" passes `[]` as is.
 * `text` is a literal, case-insensitive substring (no wildcards) of description, merchant name or
 * notes; `tags` means the row has every one of them.
 */
export function transactionMatchesFilter(row: Transaction, filter: TransactionFilter): boolean {
  if (row.removedAt !== null) return false;
  if (row.hidden && filter.includeHidden !== true) return false;
  if (filter.from !== undefined && row.date < filter.from) return false;
  if (filter.to !== undefined && row.date > filter.to) return false;
  if (filter.accountIds?.length && !filter.accountIds.includes(row.accountId)) return false;
  if (filter.connectionId !== undefined && row.connectionId !== filter.connectionId) return false;
  if (filter.categoryIds?.length && !filter.categoryIds.includes(row.categoryId)) return false;
  if (filter.minAmount !== undefined && row.amount < filter.minAmount) return false;
  if (filter.maxAmount !== undefined && row.amount > filter.maxAmount) return false;
  if (filter.pending !== undefined && row.pending !== filter.pending) return false;
  if (filter.tags !== undefined && !filter.tags.every((tag) => row.tags.includes(tag))) return false;
  if (filter.text !== undefined) {
    const needle = filter.text.toLowerCase();
    const haystacks = [row.description, row.merchantName, row.notes];
    if (!haystacks.some((text) => text?.toLowerCase().includes(needle))) return false;
  }
  return true;
}
