import type { EditableValues, SyncTransactionInput } from '../ports/store.js';
import type { EditableField, FieldSources, Transaction } from '../schemas/transaction.js';
import { editableFields } from '../schemas/transaction.js';

/** What a sync upsert stores on a row: the provider's fields, the editable ones and their sources. */
export type SyncedTransactionValues = Pick<
  Transaction,
  | 'providerTransactionId'
  | 'pendingTransactionId'
  | 'date'
  | 'authorizedDate'
  | 'amount'
  | 'currency'
  | 'description'
  | 'pending'
  | 'providerCategory'
  | 'sources'
> &
  EditableValues;

/**
 * The provenance rule of `Store.applySyncBatch`, shared by every store. Provider fields come from
 * `input`. Each editable field takes the input's value unless the stored row (`existing`) has it
 * from the user; a new row instead takes the user-sourced fields of the pending row it replaces
 * (`pendingRow`). Notes never come from a provider, so they are kept (or carried) as they are.
 * `categoryConfidence` and `categoryExplanation` travel with `categoryId`.
 */
export function mergeSyncUpsert(
  input: SyncTransactionInput,
  existing: Transaction | null,
  pendingRow: Transaction | null,
): SyncedTransactionValues {
  const incoming: EditableValues = {
    categoryId: input.categoryId,
    categoryConfidence: input.categoryConfidence,
    categoryExplanation: input.categoryExplanation,
    merchantName: input.merchantName,
    notes: null,
    tags: [...input.tags],
    hidden: input.hidden,
  };
  const sources: FieldSources = { ...input.sources };
  delete sources.notes;
  if (existing !== null) {
    incoming.notes = existing.notes;
    if (existing.sources.notes !== undefined) sources.notes = existing.sources.notes;
  }
  const base = existing ?? pendingRow;
  if (base !== null) {
    for (const field of userSourcedFields(base)) {
      keepField(incoming, base, field);
      sources[field] = 'user';
    }
  }
  return {
    providerTransactionId: input.providerTransactionId,
    pendingTransactionId: input.pendingTransactionId,
    date: input.date,
    authorizedDate: input.authorizedDate,
    amount: input.amount,
    currency: input.currency,
    description: input.description,
    pending: input.pending,
    providerCategory: input.providerCategory === null ? null : { ...input.providerCategory },
    ...incoming,
    sources,
  };
}

/** The editable fields whose current value the user set. */
export function userSourcedFields(row: Pick<Transaction, 'sources'>): EditableField[] {
  return editableFields.filter((field) => row.sources[field] === 'user');
}

function keepField(target: EditableValues, from: Transaction, field: EditableField): void {
  switch (field) {
    case 'categoryId':
      target.categoryId = from.categoryId;
      target.categoryConfidence = from.categoryConfidence;
      target.categoryExplanation = from.categoryExplanation;
      return;
    case 'merchantName':
      target.merchantName = from.merchantName;
      return;
    case 'tags':
      target.tags = [...from.tags];
      return;
    case 'notes':
      target.notes = from.notes;
      return;
    case 'hidden':
      target.hidden = from.hidden;
      return;
  }
}
