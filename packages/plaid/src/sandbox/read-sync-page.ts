import type { SandboxItem, SandboxTransaction } from './create-sandbox-item.js';
import { sandboxError } from './sandbox-plaid-error.js';

export interface SyncPageResult {
  added: SandboxTransaction[];
  modified: SandboxTransaction[];
  removed: { transactionId: string; accountId: string }[];
  nextCursor: string;
  hasMore: boolean;
}

interface CursorState {
  item: string;
  /** Next log position to read. */
  position: number;
  /** Log length when this update began; present only mid-pagination. */
  end?: number;
}

const encodeCursor = (state: CursorState): string => Buffer.from(JSON.stringify(state)).toString('base64url');

const invalidCursor = () =>
  sandboxError(400, 'INVALID_INPUT', 'INVALID_FIELD', 'cursor is not a valid cursor for this item');

function decodeCursor(cursor: string, itemId: string): CursorState {
  try {
    const state = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<CursorState>;
    if (state.item !== itemId || !Number.isSafeInteger(state.position)) throw invalidCursor();
    if (state.end !== undefined && !Number.isSafeInteger(state.end)) throw invalidCursor();
    return state as CursorState;
  } catch {
    throw invalidCursor();
  }
}

/**
 * One page of `/transactions/sync` from an item's change log. A cursor is a log position; while
 * `has_more` is true it also pins the log length the update started at, and any change after
 * that fails the next page with TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION, as Plaid does.
 * Within a page, entries for one transaction collapse to its final state, so an id appears in
 * at most one list.
 */
export function readSyncPage(item: SandboxItem, cursor: string, count: number): SyncPageResult {
  const log = item.log;
  const state: CursorState =
    cursor === '' ? { item: item.itemId, position: 0 } : decodeCursor(cursor, item.itemId);
  if (state.position > log.length) throw invalidCursor();
  if (state.end !== undefined && state.end !== log.length) {
    throw sandboxError(
      400,
      'TRANSACTIONS_ERROR',
      'TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION',
      'Underlying transaction data changed since last page was fetched. Please restart pagination from last update.',
    );
  }
  const end = state.end ?? log.length;
  const start = item.historyStart();
  const visible = (i: number): boolean => (log[i]?.transaction.date ?? '') >= start;

  let position = state.position;
  let taken = 0;
  const final = new Map<
    string,
    { added: boolean; kind: 'added' | 'modified' | 'removed'; txn: SandboxTransaction }
  >();
  while (position < end && taken < count) {
    const event = log[position];
    position++;
    if (!event || event.transaction.date < start) continue;
    taken++;
    const id = event.transaction.transactionId;
    const previous = final.get(id);
    final.set(id, {
      added: previous?.added ?? event.kind === 'added',
      kind: event.kind,
      txn: event.transaction,
    });
  }
  while (position < end && !visible(position)) position++;
  const hasMore = position < end;

  const page: SyncPageResult = { added: [], modified: [], removed: [], nextCursor: '', hasMore };
  for (const { added, kind, txn } of final.values()) {
    if (kind === 'removed') page.removed.push({ transactionId: txn.transactionId, accountId: txn.accountId });
    else if (added) page.added.push(txn);
    else page.modified.push(txn);
  }
  page.nextCursor = encodeCursor(
    hasMore ? { item: item.itemId, position, end } : { item: item.itemId, position },
  );
  return page;
}
