import type { EditableValues } from '../ports/store.js';
import type { FieldSource } from '../schemas/common.js';
import type { EditableField, FieldSources, Transaction } from '../schemas/transaction.js';

/** The editable part of a row after `TransactionRepository.edit`. */
export type EditedValues = EditableValues & { sources: FieldSources };

// Which recorded source guards each value; confidence and explanation belong to the category.
const guardOf: Record<keyof EditableValues, EditableField> = {
  categoryId: 'categoryId',
  categoryConfidence: 'categoryId',
  categoryExplanation: 'categoryId',
  merchantName: 'merchantName',
  notes: 'notes',
  tags: 'tags',
  hidden: 'hidden',
};

/**
 * The edit rule of `TransactionRepository.edit`, shared by every store: with source `user` every
 * given field is written; with another source a field whose current source is `user` keeps its
 * value. A written field records `source`. Fields given as `undefined` count as not given.
 */
export function applyTransactionEdit(
  row: Pick<Transaction, keyof EditableValues | 'sources'>,
  fields: Partial<EditableValues>,
  source: FieldSource,
): EditedValues {
  const next: EditedValues = {
    categoryId: row.categoryId,
    categoryConfidence: row.categoryConfidence,
    categoryExplanation: row.categoryExplanation,
    merchantName: row.merchantName,
    notes: row.notes,
    tags: [...row.tags],
    hidden: row.hidden,
    sources: { ...row.sources },
  };
  for (const key of Object.keys(guardOf) as (keyof EditableValues)[]) {
    const value = fields[key];
    if (value === undefined) continue;
    const guard = guardOf[key];
    if (source !== 'user' && row.sources[guard] === 'user') continue;
    Object.assign(next, { [key]: Array.isArray(value) ? [...value] : value });
    if (key === guard) next.sources[guard] = source;
  }
  return next;
}
