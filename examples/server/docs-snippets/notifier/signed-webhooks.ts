import { createServer } from 'node:http';
import { createMemoryStore } from '@finkit/core';
import { createNotifier, createWebhookChannel, verifyWebhookSignature } from '@finkit/notifier';

export async function main() {
  // Your app's endpoint: it checks the signature over the raw body before trusting it.
  const secret = 'shared-with-the-receiver';
  const received: string[] = [];
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      verifyWebhookSignature(secret, req.headers['finkit-signature'] as string, body); // throws if forged
      received.push((JSON.parse(body) as { title: string }).title);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const { port } = receiver.address() as { port: number };

  const store = createMemoryStore();
  const notifier = createNotifier({
    store, // records in-app notifications and which dedupe keys were delivered
    channels: { webhook: createWebhookChannel({ url: `http://127.0.0.1:${port}/hooks`, secret }) },
  });
  const alert = {
    userId: 'user-1',
    type: 'budget.threshold_crossed',
    dedupeKey: 'budget:b1:2026-03:80', // one delivery per key, across retries and processes
    title: 'Groceries at 80%',
    body: 'You have spent $320.00 of $400.00.',
    data: { budgetId: 'b1' },
  };
  const first = await notifier.send(alert);
  const again = await notifier.send(alert); // the same event seen twice
  await notifier.idle();
  const inApp = await store.notifications.list('user-1');
  await notifier.close();
  receiver.close();
  return { first, again: again.accepted, received, inApp: inApp.map((n) => n.title) };
}
