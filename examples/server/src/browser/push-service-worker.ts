/// <reference lib="dom" />

// The dashboard's service worker: it shows each web push the notifier sends, and a click on one
// brings the dashboard forward. Bundled on its own (see bundleDashboardScript) because a service
// worker runs outside the page.

// The program's lib is the DOM's, and adding the webworker lib beside it clashes; these are the
// few service-worker types this file uses.
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface PushEvent extends ExtendableEvent {
  readonly data: { text(): string } | null;
}
interface NotificationEvent extends ExtendableEvent {
  readonly notification: Notification;
}
interface WindowClient {
  readonly url: string;
  focus(): Promise<WindowClient>;
}
interface ServiceWorkerScope {
  readonly registration: ServiceWorkerRegistration;
  readonly location: Location;
  readonly clients: {
    matchAll(options: { type: 'window'; includeUncontrolled: boolean }): Promise<readonly WindowClient[]>;
    openWindow(url: string): Promise<WindowClient | null>;
    claim(): Promise<void>;
  };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'push', listener: (event: PushEvent) => void): void;
  addEventListener(type: 'notificationclick', listener: (event: NotificationEvent) => void): void;
}
declare const self: ServiceWorkerScope;

// A module, so that `self` above shadows the page's global instead of clashing with it.
export {};

/** What createWebPushChannel sends: `{ id, type, title, body, data }`, JSON. */
interface PushMessage {
  id?: string;
  type?: string;
  title?: string;
  body?: string;
  data?: Record<string, unknown>;
}

function readMessage(event: PushEvent): PushMessage {
  const text = event.data?.text() ?? '';
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed === 'object' && parsed !== null) return parsed as PushMessage;
  } catch {
    // Not JSON: someone else's sender, or a test push. Show the text rather than nothing, since
    // a push subscribed with userVisibleOnly must show something.
  }
  return { body: text };
}

// A new version takes over at once: there is no cached state an old page could depend on.
self.addEventListener('install', () => void self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('push', (event) => {
  const message = readMessage(event);
  event.waitUntil(
    self.registration.showNotification(message.title ?? 'finkit', {
      body: message.body ?? '',
      // The channel resends with the same id after a failure; the tag makes the copy replace
      // the first instead of stacking a duplicate.
      ...(message.id ? { tag: message.id } : {}),
      data: { type: message.type ?? null, ...(message.data ?? {}) },
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const dashboard = new URL('/', self.location.href).href;
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      const open = windows.find((client) => client.url.startsWith(dashboard));
      return open ? open.focus() : self.clients.openWindow(dashboard);
    }),
  );
});
