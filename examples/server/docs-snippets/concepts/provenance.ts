import { createFinkit, createMemoryStore, createTokenCipher, generateTokenKey } from '@finkit/core';
import { createPlaidProvider } from '@finkit/plaid';
import { startPlaidSandbox } from '@finkit/plaid/sandbox';

export async function main() {
  const sandbox = await startPlaidSandbox({ historyDays: 60 });
  const finkit = createFinkit({
    store: createMemoryStore(),
    provider: createPlaidProvider({ clientId: 'id', secret: 'secret', basePath: sandbox.url }),
    cipher: createTokenCipher({ keys: { k1: generateTokenKey() }, primaryKeyId: 'k1' }),
  });
  const userId = 'user-1';
  const { connection, initialSync } = await finkit.connections.link(userId, sandbox.createPublicToken());
  await initialSync;
  const [coffee] = (await finkit.transactions.list(userId, { text: 'coffee' })).items;
  const before = coffee!.sources.categoryId; // 'provider': Plaid's category was mapped

  // The user says it is entertainment, and adds a note.
  await finkit.transactions.edit(userId, coffee!.id, { categoryId: 'entertainment', notes: 'team outing' });
  // A rule that would say otherwise, a re-categorization and more syncs: the edit stays.
  await finkit.rules.create(userId, {
    name: 'Coffee is food',
    conditions: [{ field: 'description', op: 'contains', value: 'coffee' }],
    actions: { categoryId: 'food_and_dining' },
  });
  await finkit.transactions.categorize(userId, { ids: [coffee!.id] });
  await sandbox.advance(3);
  await finkit.connections.sync(userId, connection.id);
  const after = await finkit.transactions.get(userId, coffee!.id);
  await sandbox.close();
  return { before, categoryId: after.categoryId, notes: after.notes, sources: after.sources };
}
