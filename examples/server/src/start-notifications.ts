import type { Finkit, Store } from '@finkit/core';
import {
  createMemoryPreferences,
  createNotifier,
  createSmtpEmailChannel,
  createWebhookChannel,
  type DeliveryChannel,
  wireNotifier,
} from '@finkit/notifier';
import { DEMO_USER } from './demo-user.js';
import type { ExampleServerConfig } from './read-config.js';

/**
 * Budget alerts, goal milestones and re-login requests reach the demo user in the app (over the
 * WebSocket) and, when configured, by email and signed webhook. Returns the closer.
 */
export async function startNotifications(
  finkit: Finkit,
  store: Store,
  config: ExampleServerConfig,
): Promise<() => Promise<void>> {
  const channels: Partial<Record<'email' | 'webhook', DeliveryChannel>> = {};
  if (config.smtp)
    channels.email = createSmtpEmailChannel({ transport: config.smtp.url, from: config.smtp.from });
  if (config.notifyWebhook) channels.webhook = createWebhookChannel(config.notifyWebhook);
  const preferences = createMemoryPreferences();
  if (config.smtp?.to) preferences.set(DEMO_USER, { email: config.smtp.to });
  const notifier = createNotifier({ store, events: finkit.context.events, channels, preferences });
  const wiring = wireNotifier(finkit, notifier, { preferences });
  return async () => {
    wiring.stop();
    await notifier.close();
  };
}
