/// <reference lib="dom" />
import { base64UrlToBytes } from './base64-url-to-bytes.js';
import { ApiError } from './create-api-client.js';
import type { DashboardContext, Section } from './dashboard-context.js';
import { h } from './element.js';
import { PUSH_SERVICE_WORKER_URL } from './push-service-worker-url.js';

/** Where the control stands; the test reads it from `data-state`. */
type PushState = 'checking' | 'unsupported' | 'unavailable' | 'denied' | 'off' | 'working' | 'on' | 'error';

const subscriptionsPath = '/notifications/push-subscriptions';

function sameKey(a: ArrayBuffer | null, b: Uint8Array): boolean {
  if (a === null || a.byteLength !== b.length) return false;
  const bytes = new Uint8Array(a);
  return bytes.every((byte, i) => byte === b[i]);
}

/**
 * Notifications: turns web push on or off for this browser. Push needs the browser's Push API and
 * a service worker (which browsers give only to https pages and localhost), the user's permission
 * and a server with a VAPID key; each missing piece gets its own plain message.
 */
export function notificationsSection(context: DashboardContext): Section {
  const message = h('p', { class: 'message', 'data-testid': 'push-message', 'aria-live': 'polite' });
  const enable = h('button', { type: 'button' }, 'Enable push notifications');
  const disable = h('button', { type: 'button', class: 'small' }, 'Disable');
  const control = h(
    'div',
    { class: 'push', 'data-testid': 'push', 'data-state': 'checking' },
    message,
    enable,
    disable,
  );
  const element = h(
    'section',
    { class: 'card', 'aria-labelledby': 'notifications-title' },
    h('header', {}, h('h2', { id: 'notifications-title' }, 'Notifications')),
    control,
  );
  // Read once per refresh; the key only changes when the server's operator replaces its key pair.
  let serverKey: Uint8Array<ArrayBuffer> | null = null;

  function show(state: PushState, text: string): void {
    control.dataset.state = state;
    message.textContent = text;
    message.classList.toggle('error', state === 'error' || state === 'denied');
    enable.hidden = !(state === 'off' || state === 'error');
    disable.hidden = state !== 'on';
    enable.disabled = disable.disabled = state === 'working';
  }

  const supported = () => 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;

  async function currentSubscription(): Promise<PushSubscription | null> {
    const registration = await navigator.serviceWorker.getRegistration('/');
    return (await registration?.pushManager.getSubscription()) ?? null;
  }

  async function refresh(): Promise<void> {
    if (!supported()) {
      show(
        'unsupported',
        'This browser cannot receive push notifications here: it needs the Push API and service ' +
          'workers, which browsers offer only on https pages and localhost.',
      );
      return;
    }
    try {
      const { publicKey } = await context.api.get<{ publicKey: string }>(`${subscriptionsPath}/public-key`);
      serverKey = base64UrlToBytes(publicKey);
    } catch (error) {
      if (error instanceof ApiError && error.status === 501) {
        show('unavailable', 'This server has no web push configured (it has no VAPID key).');
        return;
      }
      throw error;
    }
    if (Notification.permission === 'denied') {
      show('denied', 'Notifications are blocked for this site. Allow them in the browser’s site settings.');
      return;
    }
    const existing = await currentSubscription();
    if (existing && !sameKey(existing.options.applicationServerKey, serverKey)) {
      // Made for a key the server no longer has: the server could not push to it anyway.
      await existing.unsubscribe();
    } else if (existing) {
      // The API has no "is this endpoint stored?" read, so the subscription is sent again (the
      // same endpoint replaces its keys): afterwards the server knows it, even if its store was
      // reset since.
      await context.api.send('POST', subscriptionsPath, existing.toJSON());
      show('on', 'Push notifications are on for this browser.');
      return;
    }
    show('off', 'Get budget alerts and goal milestones even when this page is closed.');
  }

  async function turnOn(): Promise<void> {
    const key = serverKey;
    // The first check failed before the key was read: check again rather than subscribe blind.
    if (key === null) return refresh();
    show('working', 'Registering the service worker…');
    await navigator.serviceWorker.register(PUSH_SERVICE_WORKER_URL, { scope: '/' });
    const registration = await navigator.serviceWorker.ready;
    show('working', 'Asking for permission…');
    const permission = await Notification.requestPermission();
    if (permission === 'denied') return refresh();
    if (permission !== 'granted') {
      show('off', 'Permission was not given; push notifications stay off.');
      return;
    }
    show('working', 'Subscribing…');
    let subscription: PushSubscription;
    try {
      subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: key,
      });
    } catch (error) {
      // Nothing reached the server: there is no subscription to tell it about.
      show('error', `Could not subscribe: ${(error as Error).message}`);
      return;
    }
    try {
      await context.api.send('POST', subscriptionsPath, subscription.toJSON());
    } catch (error) {
      // A browser subscription the server refused would only be a silent dead end.
      await subscription.unsubscribe().catch(() => undefined);
      show('error', `The server did not take the subscription: ${(error as Error).message}`);
      return;
    }
    show('on', 'Push notifications are on for this browser.');
  }

  async function turnOff(): Promise<void> {
    show('working', 'Unsubscribing…');
    const subscription = await currentSubscription();
    if (subscription) {
      const { endpoint } = subscription;
      // The browser first: once it has stopped listening, a leftover record at the server is
      // harmless (the push service answers 410 and the notifier drops it).
      await subscription.unsubscribe();
      await context.api
        .send('DELETE', `${subscriptionsPath}?endpoint=${encodeURIComponent(endpoint)}`)
        .catch((error: unknown) => {
          // Already gone at the server: what the user asked for.
          if (!(error instanceof ApiError && error.status === 404)) throw error;
        });
    }
    show('off', 'Push notifications are off for this browser.');
  }

  const run = (action: () => Promise<void>) => () => {
    action().catch((error: unknown) => show('error', (error as Error).message));
  };
  enable.addEventListener('click', run(turnOn));
  disable.addEventListener('click', run(turnOff));

  return {
    element,
    refresh: () =>
      refresh().catch((error: unknown) => {
        show('error', `Could not check push notifications: ${(error as Error).message}`);
      }),
  };
}
