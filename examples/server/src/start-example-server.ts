import { join } from 'node:path';
import { bearerJwtAuthenticate, createFinkitApp, createFinkitWebSocket } from '@finkit/adapter-hono';
import {
  createEmbeddedStore,
  createPgBossJobRunner,
  createPgEventBus,
  createPostgresStore,
} from '@finkit/adapter-postgres';
import {
  type BankProvider,
  createFinkit,
  createMemoryJobRunner,
  createTokenCipher,
  type Embedder,
  type EventBus,
  type Finkit,
  type JobRunner,
  type Store,
} from '@finkit/core';
import { createBundledEmbedder, createCachedEmbedder } from '@finkit/embeddings';
import { createPlaidProvider } from '@finkit/plaid';
import { type PlaidSandbox, startPlaidSandbox } from '@finkit/plaid/sandbox';
import { serve, upgradeWebSocket } from '@hono/node-server';
import { Hono } from 'hono';
import { sign } from 'hono/jwt';
import pg from 'pg';
import { WebSocketServer } from 'ws';
import { createDashboardRoutes } from './create-dashboard-routes.js';
import { createDemoRoutes } from './create-demo-routes.js';
import { openDemoState } from './demo-state.js';
import { DEMO_USER } from './demo-user.js';
import type { ExampleServerConfig } from './read-config.js';
import { seedDemoUser } from './seed-demo-user.js';
import { startNotifications } from './start-notifications.js';

export interface ExampleServer {
  url: string;
  /** A bearer token for the demo user. */
  demoToken: string;
  finkit: Finkit;
  /** The in-process Plaid sandbox, unless real Plaid was configured. */
  sandbox: PlaidSandbox | null;
  /** Resolves when background syncs and evaluations have finished (tests, scripts). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * The example app: finkit's REST API, WebSocket and a demo page, on embedded defaults (PGlite,
 * the in-process Plaid sandbox, the bundled embedder) unless the config names real services.
 */
export async function startExampleServer(config: ExampleServerConfig): Promise<ExampleServer> {
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch(() => undefined);
  };
  try {
    // Listen first: the sandbox needs our URL for its webhooks before finkit can be built.
    // The env carries the Node request that a WebSocket upgrade needs, so it is passed along.
    let handler: ((request: Request, env: unknown) => Response | Promise<Response>) | null = null;
    const server = serve({
      fetch: (request, env) =>
        handler
          ? handler(request, env)
          : new Response('starting', { status: 503, headers: { 'retry-after': '1' } }),
      port: config.port,
      hostname: config.host,
      websocket: { server: new WebSocketServer({ noServer: true }) },
    });
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          // Open WebSockets and keep-alive connections would hold close() forever.
          if ('closeAllConnections' in server) server.closeAllConnections();
        }),
    );
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://${config.host}:${port}`;

    const demo = await openDemoState(config.dataDir, config.sandboxSeed, todayUtc());
    const { state } = demo;

    const rawEmbedder = config.embedder === 'bundled' ? createBundledEmbedder() : null;
    const embedder: Embedder | null = rawEmbedder ? createCachedEmbedder(rawEmbedder) : null;

    let store: Store;
    // On PostgreSQL, jobs and events are shared by every instance of the server.
    let jobs: JobRunner = createMemoryJobRunner();
    let events: EventBus | undefined;
    if (config.databaseUrl) {
      const pool = new pg.Pool({ connectionString: config.databaseUrl });
      closers.push(() => pool.end());
      store = await createPostgresStore({
        db: pool,
        migrate: embedder ? { embeddingDimensions: embedder.dimensions } : true,
      });
      jobs = await createPgBossJobRunner({ pool });
      const bus = await createPgEventBus({ pool });
      events = bus;
      closers.push(() => bus.close());
    } else {
      store = await createEmbeddedStore({
        dataDir: join(config.dataDir, 'pglite'),
        ...(embedder ? { embeddingDimensions: embedder.dimensions } : {}),
      });
    }
    closers.push(() => store.close());

    let sandbox: PlaidSandbox | null = null;
    let provider: BankProvider;
    const webhookUrl = config.plaidWebhookUrl ?? `${url}/webhooks/plaid`;
    if (config.plaid) {
      provider = createPlaidProvider({
        clientId: config.plaid.clientId,
        secret: config.plaid.secret,
        ...(config.plaid.basePath ? { basePath: config.plaid.basePath } : {}),
        ...(config.plaid.environment ? { environment: config.plaid.environment } : {}),
        webhookUrl,
      });
    } else {
      sandbox = await startPlaidSandbox({ seed: state.sandbox.seed, startDate: state.sandbox.startDate });
      closers.push(() => sandbox?.close() ?? Promise.resolve());
      // Rebuild the sandbox exactly as the last run left it: same items, same days passed.
      for (const institutionId of state.sandbox.institutions) {
        sandbox.createPublicToken(institutionId, { webhook: webhookUrl, daysRequested: 730 });
      }
      for (const days of state.sandbox.advances) await sandbox.advance(days);
      provider = createPlaidProvider({
        clientId: 'example',
        secret: 'example',
        basePath: sandbox.url,
        webhookUrl,
      });
    }

    const finkit = createFinkit({
      store,
      provider,
      cipher: createTokenCipher({ keys: state.tokenKeys, primaryKeyId: state.primaryKeyId }),
      jobs,
      ...(events ? { events } : {}),
      ...(embedder ? { embedder } : {}),
      sync: { daysRequested: 730 },
    });
    closers.push(() => finkit.close());
    await finkit.start();
    const notifications = await startNotifications(finkit, store, config);
    closers.push(notifications.close);

    const websocket = createFinkitWebSocket(finkit, { upgradeWebSocket });
    closers.push(async () => websocket.close());
    const authenticate = bearerJwtAuthenticate({ secret: state.jwtSecret });
    const api = createFinkitApp(finkit, {
      authenticate,
      websocket,
      ...(notifications.vapidPublicKey ? { webPush: { publicKey: notifications.vapidPublicKey } } : {}),
    });
    const demoToken = await sign({ sub: DEMO_USER }, state.jwtSecret, 'HS256');
    const app = new Hono();
    app.route('/', await createDashboardRoutes({ demoToken, demo: sandbox !== null }));
    if (sandbox) app.route('/demo', createDemoRoutes({ sandbox, demo, authenticate, webhookUrl }));
    app.route('/', api);
    handler = (request, env) => app.fetch(request, env as object);

    if (sandbox && demo.created) await seedDemoUser({ finkit, sandbox, demo, userId: DEMO_USER, webhookUrl });
    // Catch up with anything a missed webhook left behind (also after a restart).
    await finkit.sync.syncAll();

    const idle = async () => {
      await finkit.context.jobs?.idle();
      await finkit.idle();
    };
    return { url, demoToken, finkit, sandbox, idle, close };
  } catch (error) {
    await close();
    throw error;
  }
}
