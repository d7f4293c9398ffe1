// One process of the crash test (crash-restart.test.ts): a notifier over a store that outlives the
// process. `send` sends three notifications at 23:30 in Paris (in-app and webhook go at once, email
// waits for the end of quiet hours) and reports `sent`; the parent kills it once its receivers have
// everything. `resume` starts at 08:00 the next morning, lets the notifier's start-up check resume
// what the killed process left, and exits 0 when nothing is left to send.
//
// Run as: node --conditions=source --import tsx crash-worker.ts <send|resume> <receiverUrl> pglite <dataDir>
//     or: ... <send|resume> <receiverUrl> postgres <url> <schema>
import { createRequire } from 'node:module';
import type { Clock, EventBus, FinkitEvent, Store } from '@finkit/core';
import {
  createEmbeddedStore,
  createPostgresStore,
  type DatabaseInput,
} from '../../adapter-postgres/src/index.js';
import { createSendGridEmailChannel } from '../src/channels/create-sendgrid-email-channel.js';
import { createWebhookChannel } from '../src/channels/create-webhook-channel.js';
import { createNotifier } from '../src/create-notifier.js';
import { createMemoryPreferences } from '../src/preferences/create-memory-preferences.js';
import { crashKeys, crashSecret, crashUser, resumeAt, sendAt } from './crash-scenario.js';

const [phase, receiverUrl, kind, target, schema] = process.argv.slice(2);

async function openStore(clock: Clock): Promise<Store> {
  if (kind === 'pglite') return createEmbeddedStore({ dataDir: target, clock });
  // pg is the Postgres adapter's peer, not this package's dependency: resolve it from there.
  const pg = createRequire(new URL('../../adapter-postgres/package.json', import.meta.url))('pg') as {
    Pool: new (config: object) => DatabaseInput & { end(): Promise<void> };
  };
  const pool = new pg.Pool({ connectionString: target, options: `-c search_path=${schema}`, max: 4 });
  const store = await createPostgresStore({ db: pool, clock, migrate: true });
  return {
    ...store,
    async close() {
      await store.close();
      await pool.end();
    },
  };
}

/**
 * In-app notifications reach their subscriber (the parent) over IPC. While sending, the parent
 * never acknowledges, so the in-app delivery is stuck after the subscriber got it and before it
 * was recorded — the same window the webhook receiver holds open by not answering.
 */
function parentBus(acknowledged: boolean): EventBus {
  return {
    capabilities: { crossProcess: true },
    publish: (event: FinkitEvent) =>
      new Promise<void>((resolve, reject) => {
        process.send?.({ event }, (error: Error | null) => {
          if (error) reject(error);
          else if (acknowledged) resolve();
        });
      }),
    subscribe: () => () => {},
    close: async () => {},
  };
}

const startedAt = Date.now();
const base = phase === 'send' ? sendAt : resumeAt;
const clock: Clock = { now: () => new Date(base + (Date.now() - startedAt)) };
const store = await openStore(clock);
const preferences = createMemoryPreferences({
  email: 'ana@example.com',
  timeZone: 'Europe/Paris',
  channels: { '*': ['in_app', 'webhook', 'email'] },
  quietHours: { start: '22:00', end: '07:30' },
});
const notifier = createNotifier({
  store,
  clock,
  preferences,
  events: parentBus(phase === 'resume'),
  channels: {
    webhook: createWebhookChannel({ url: `${receiverUrl}/hooks`, secret: crashSecret }),
    email: createSendGridEmailChannel({
      apiKey: 'k',
      from: { email: 'a@example.com' },
      baseUrl: receiverUrl,
    }),
  },
  retry: { attempts: 3, baseMs: 10, maxMs: 50 },
});
if (phase === 'send') {
  for (const key of crashKeys) {
    await notifier.send({
      userId: crashUser,
      type: 'budget.threshold_crossed',
      dedupeKey: key,
      title: `Alert ${key}`,
      body: 'You have spent $400.00 of $500.00.',
      data: { key },
    });
  }
  process.stdout.write('sent\n');
  // Waits to be killed: its webhooks and in-app events are unanswered.
} else {
  // The notifier checks the store right after start (a zero-delay timer); one turn later that
  // check is counted in idle(), which then waits for everything it resumed.
  await new Promise((resolve) => setTimeout(resolve, 0));
  await notifier.idle();
  const left = await store.deliveries
    .list(crashUser)
    .then((rows) => rows.filter((d) => d.status !== 'delivered'));
  await notifier.close();
  await store.close();
  process.stdout.write(`resumed, ${left.length} left\n`);
  process.exit(left.length === 0 ? 0 : 1);
}
