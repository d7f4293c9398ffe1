import { type Finkit, FinkitError } from '@finkit/core';
import type { Context, MiddlewareHandler } from 'hono';
import type { WSContext, WSEvents } from 'hono/ws';
import {
  createFinkitEventHub,
  type FinkitEventHub,
  type FinkitEventHubOptions,
} from './create-finkit-event-hub.js';
import type { FinkitEnv } from './finkit-env.js';

/**
 * The runtime's WebSocket upgrade: `upgradeWebSocket` from `@hono/node-server` (serve with
 * `websocket: { server: new WebSocketServer({ noServer: true }) }` from `ws`), `hono/bun`,
 * `hono/deno` or `hono/cloudflare-workers`.
 */
export type UpgradeWebSocketFn = (
  createEvents: (c: Context) => WSEvents | Promise<WSEvents>,
) => MiddlewareHandler;

export interface FinkitWebSocketOptions extends FinkitEventHubOptions {
  upgradeWebSocket: UpgradeWebSocketFn;
}

export interface FinkitWebSocket {
  readonly hub: FinkitEventHub;
  /** The `GET /ws` handler; it expects `userId` on the context (the app's auth runs first). */
  readonly handler: MiddlewareHandler<FinkitEnv>;
  close(): void;
}

function parseLastEventId(value: string | undefined): number | null {
  if (value === undefined || value === '') return null;
  // Ids are microseconds since the epoch (16 digits) plus a count; anything unsafe is not ours.
  if (!/^\d{1,16}$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new FinkitError('VALIDATION', 'Invalid query: lastEventId: Must be a non-negative integer', {
      details: { in: 'query', issues: [{ path: 'lastEventId', message: 'Must be a non-negative integer' }] },
    });
  }
  return Number(value);
}

/**
 * Pushes the acting user's events over a WebSocket as JSON `{ id, type, at, data }`. A client that
 * reconnects with `?lastEventId=` first gets the buffered events it missed; when the buffer no
 * longer reaches back that far it gets `{ type: 'events.missed' }` and should reload its data.
 */
export function createFinkitWebSocket(finkit: Finkit, options: FinkitWebSocketOptions): FinkitWebSocket {
  const hub = createFinkitEventHub(finkit, options);
  const sockets = new Set<WSContext>();
  const upgrade = options.upgradeWebSocket((c) => {
    const userId = c.get('userId') as string;
    const lastEventId = parseLastEventId(c.req.query('lastEventId'));
    let unsubscribe: (() => void) | null = null;
    return {
      onOpen(_event, ws) {
        sockets.add(ws);
        const send = (message: unknown) => {
          if (ws.readyState === 1) ws.send(JSON.stringify(message));
        };
        const subscription = hub.subscribe(userId, lastEventId, send);
        if (subscription.missed) send({ type: 'events.missed', lastId: hub.lastId });
        unsubscribe = subscription.unsubscribe;
      },
      onClose(_event, ws) {
        sockets.delete(ws);
        unsubscribe?.();
      },
      onError(_event, ws) {
        sockets.delete(ws);
        unsubscribe?.();
      },
    };
  });
  const handler: MiddlewareHandler<FinkitEnv> = async (c, next) => {
    // Validate before upgrading, so a bad request is an ordinary JSON error response.
    if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') {
      throw new FinkitError('VALIDATION', 'GET /ws expects a WebSocket upgrade request');
    }
    parseLastEventId(c.req.query('lastEventId'));
    return upgrade(c, next);
  };
  return {
    hub,
    handler,
    close() {
      for (const ws of sockets) ws.close(1001, 'server closing');
      sockets.clear();
      hub.close();
    },
  };
}
