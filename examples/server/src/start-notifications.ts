import { createECDH } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Finkit, Store } from '@finkit/core';
import {
  createNotifier,
  createSmtpEmailChannel,
  createStorePreferences,
  createStorePushSubscriptions,
  createWebhookChannel,
  createWebPushChannel,
  type DeliveryChannel,
  wireNotifier,
} from '@finkit/notifier';
import { DEMO_USER } from './demo-user.js';
import type { ExampleServerConfig } from './read-config.js';

interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

/**
 * The server's VAPID key pair, made once and kept in the data dir: browsers subscribe with the
 * public key, so a new pair on every start would silently orphan every stored subscription.
 */
async function vapidKeys(dataDir: string): Promise<VapidKeys> {
  const path = join(dataDir, 'vapid-keys.json');
  try {
    return JSON.parse(await readFile(path, 'utf8')) as VapidKeys;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const keys = {
    publicKey: ecdh.getPublicKey().toString('base64url'),
    privateKey: ecdh.getPrivateKey().toString('base64url'),
  };
  await mkdir(dataDir, { recursive: true });
  await writeFile(`${path}.tmp`, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  await rename(`${path}.tmp`, path);
  return keys;
}

/**
 * Budget alerts, goal milestones and re-login requests reach the demo user in the app (over the
 * WebSocket), by web push to the browsers subscribed through `POST /notifications/push-subscriptions`
 * and, when configured, by email and signed webhook. Preferences and push subscriptions live in the
 * store, so what users set through `/notifications/*` survives restarts. Returns the closer and the
 * VAPID public key browsers subscribe with (null when `config.webPush` is off).
 */
export async function startNotifications(
  finkit: Finkit,
  store: Store,
  config: ExampleServerConfig,
): Promise<{ close: () => Promise<void>; vapidPublicKey: string | null }> {
  const vapid = config.webPush ? await vapidKeys(config.dataDir) : null;
  const channels: Partial<Record<'email' | 'webhook' | 'push', DeliveryChannel>> = {};
  if (vapid) {
    channels.push = createWebPushChannel({
      subscriptions: createStorePushSubscriptions(store),
      vapid: { subject: 'mailto:alerts@finkit.local', ...vapid },
    });
  }
  if (config.smtp)
    channels.email = createSmtpEmailChannel({ transport: config.smtp.url, from: config.smtp.from });
  if (config.notifyWebhook) channels.webhook = createWebhookChannel(config.notifyWebhook);
  const preferences = createStorePreferences(store);
  // The configured address is the demo user's until they set one of their own.
  if (config.smtp?.to && (await preferences.get(DEMO_USER)).email === null) {
    await preferences.update(DEMO_USER, { email: config.smtp.to });
  }
  const notifier = createNotifier({ store, events: finkit.context.events, channels, preferences });
  const wiring = wireNotifier(finkit, notifier, { preferences });
  return {
    vapidPublicKey: vapid?.publicKey ?? null,
    async close() {
      wiring.stop();
      await notifier.close();
    },
  };
}
