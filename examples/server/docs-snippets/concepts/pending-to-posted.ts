import { createFinkit, createMemoryStore, createTokenCipher, generateTokenKey } from '@finkit/core';
import { createPlaidProvider } from '@finkit/plaid';
import { startPlaidSandbox } from '@finkit/plaid/sandbox';

export async function main() {
  const sandbox = await startPlaidSandbox({ historyDays: 30 });
  const finkit = createFinkit({
    store: createMemoryStore(),
    provider: createPlaidProvider({ clientId: 'id', secret: 'secret', basePath: sandbox.url }),
    cipher: createTokenCipher({ keys: { k1: generateTokenKey() }, primaryKeyId: 'k1' }),
  });
  const userId = 'user-1';
  const { connection, initialSync } = await finkit.connections.link(userId, sandbox.createPublicToken());
  await initialSync;
  const { items } = await finkit.transactions.list(userId, {}, { limit: 1000 });
  const pending = items.find((t) => t.pending)!;
  await finkit.transactions.edit(userId, pending.id, { categoryId: 'travel', tags: ['reimbursable'] });

  await sandbox.advance(7); // the bank posts it: Plaid removes the pending row, adds a posted one
  await finkit.connections.sync(userId, connection.id);
  const after = await finkit.transactions.list(userId, {}, { limit: 1000 });
  const posted = after.items.find((t) => t.pendingTransactionId === pending.providerTransactionId)!;
  await sandbox.close();
  return {
    pendingStillListed: after.items.some((t) => t.id === pending.id),
    posted: {
      pending: posted.pending,
      categoryId: posted.categoryId,
      tags: posted.tags,
      sources: posted.sources,
    },
  };
}
