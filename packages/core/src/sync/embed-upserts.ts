import type { Embedder } from '../ports/embedder.js';
import type { SyncTransactionInput } from '../ports/store.js';
import type { Transaction } from '../schemas/transaction.js';

/** The text a transaction is searched by: what a person would call it, then the bank's words. */
export function embeddingText(row: Pick<Transaction, 'merchantName' | 'description'>): string {
  return row.merchantName && !row.description.toLowerCase().includes(row.merchantName.toLowerCase())
    ? `${row.merchantName} ${row.description}`
    : row.description;
}

/**
 * Adds an embedding to every upsert whose searchable text is new or changed, in one call to the
 * embedder (wrap it in a cache: bank feeds repeat their descriptors). Embeddings serve search
 * only, so when the embedder fails the sync goes on without them and `onError` hears of it.
 */
export async function embedUpserts(
  embedder: Embedder,
  upserts: SyncTransactionInput[],
  previous: ReadonlyMap<string, Transaction>,
  onError: (error: unknown) => void,
): Promise<SyncTransactionInput[]> {
  const needing: number[] = [];
  const texts: string[] = [];
  for (const [i, upsert] of upserts.entries()) {
    const text = embeddingText(upsert);
    const prev = previous.get(upsert.providerTransactionId);
    if (prev && embeddingText(prev) === text) continue;
    needing.push(i);
    texts.push(text);
  }
  if (texts.length === 0) return upserts;
  let vectors: Float32Array[];
  try {
    vectors = await embedder.embed(texts);
  } catch (error) {
    onError(error);
    return upserts;
  }
  const result = [...upserts];
  for (const [n, i] of needing.entries()) {
    const vector = vectors[n];
    if (vector) result[i] = { ...upserts[i]!, embedding: { model: embedder.id, vector } };
  }
  return result;
}
