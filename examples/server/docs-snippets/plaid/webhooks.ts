import {
  createFinkit,
  createMemoryStore,
  createTokenCipher,
  FinkitError,
  generateTokenKey,
} from '@finkit/core';
import { createPlaidProvider } from '@finkit/plaid';
import { startPlaidSandbox } from '@finkit/plaid/sandbox';

export async function main() {
  const sandbox = await startPlaidSandbox({ historyDays: 30 });
  const finkit = createFinkit({
    store: createMemoryStore(),
    provider: createPlaidProvider({ clientId: 'id', secret: 'secret', basePath: sandbox.url }),
    cipher: createTokenCipher({ keys: { k1: generateTokenKey() }, primaryKeyId: 'k1' }),
  });
  const { initialSync } = await finkit.connections.link('user-1', sandbox.createPublicToken('ins_109508'));
  await initialSync;
  const before = (await finkit.transactions.list('user-1', {}, { limit: 1000 })).items.length;

  await sandbox.advance(5); // five days of new transactions at the "bank"
  // What Plaid POSTs to your webhook URL: a JSON body and a signed Plaid-Verification header.
  const body = JSON.stringify({
    webhook_type: 'TRANSACTIONS',
    webhook_code: 'SYNC_UPDATES_AVAILABLE',
    item_id: sandbox.items()[0]!.itemId,
    environment: 'sandbox',
  });
  const headers = { 'plaid-verification': await sandbox.signWebhook(body) };
  const outcome = await finkit.webhooks.handle(body, headers); // verify, then sync
  if (outcome.action === 'sync') await outcome.done;
  const after = (await finkit.transactions.list('user-1', {}, { limit: 1000 })).items.length;

  // The signature covers the exact bytes: a re-serialized or altered body is refused.
  const tampered = await finkit.webhooks
    .handle(body.replace('sandbox', 'production'), headers)
    .catch((e) => e);
  await sandbox.close();
  return {
    action: outcome.action,
    before,
    after,
    refused: FinkitError.hasCode(tampered, 'WEBHOOK_VERIFICATION'),
  };
}
