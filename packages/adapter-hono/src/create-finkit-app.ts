import { type Finkit, FinkitError } from '@finkit/core';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import type { FinkitWebSocket } from './create-finkit-web-socket.js';
import { docsPage } from './docs-page.js';
import { errorBody, toFinkitError } from './error-body.js';
import type { FinkitEnv } from './finkit-env.js';
import { type RateLimitOptions, rateLimit } from './rate-limit.js';
import { type Authenticate, requireUser } from './require-user.js';
import { registerAccountRoutes } from './routes/register-account-routes.js';
import { registerBudgetRoutes } from './routes/register-budget-routes.js';
import { registerCategoryRoutes } from './routes/register-category-routes.js';
import { registerConnectionRoutes } from './routes/register-connection-routes.js';
import { registerGoalRoutes } from './routes/register-goal-routes.js';
import { registerNotificationRoutes } from './routes/register-notification-routes.js';
import { registerRuleRoutes } from './routes/register-rule-routes.js';
import { registerTransactionRoutes } from './routes/register-transaction-routes.js';
import { registerWebhookRoutes } from './routes/register-webhook-routes.js';
import { validationError } from './validation-error.js';

export type CorsOptions = Parameters<typeof cors>[0];

export interface FinkitAppOptions {
  /** Resolves the acting user's id; null or a throw answers 401. See `bearerJwtAuthenticate`. */
  authenticate: Authenticate;
  /** Where the app is mounted, e.g. `/api`; routes and the OpenAPI document include it. */
  basePath?: string;
  /** Hono's CORS options; without them no CORS headers are sent. */
  cors?: CorsOptions;
  limits?: {
    /** Largest request body in bytes. Default 1 MiB. */
    bodyBytes?: number;
    /** Requests per user per window; off by default. */
    rateLimit?: RateLimitOptions;
  };
  /** Serves `GET /ws` when given; see `createFinkitWebSocket`. */
  websocket?: FinkitWebSocket;
  /**
   * The VAPID public key (base64url) of your web push channel, served at
   * `GET /notifications/push-subscriptions/public-key` so browsers can subscribe
   * (`applicationServerKey`). Without it that route answers 501.
   */
  webPush?: { publicKey: string };
  /** The API's title and version in the OpenAPI document. */
  info?: { title?: string; version?: string };
}

const userScopedPrefixes = [
  'accounts',
  'connections',
  'transactions',
  'budgets',
  'goals',
  'rules',
  'categories',
  'notifications',
];

/** The finkit REST API (and WebSocket, when given) as an OpenAPIHono app to mount or serve. */
export function createFinkitApp(finkit: Finkit, options: FinkitAppOptions): OpenAPIHono<FinkitEnv> {
  const root = new OpenAPIHono<FinkitEnv>({
    // Request validation failures become the same VALIDATION error the facade raises.
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.target, result.error.issues);
    },
  });
  // A base-path clone does not keep every handler of the app it came from, so both get them.
  const app = options.basePath ? root.basePath(options.basePath) : root;
  for (const target of new Set([root, app])) {
    target.onError((error, c) => {
      const finkitError = toFinkitError(error);
      if (finkitError.code === 'RATE_LIMITED' && finkitError.retryAfterMs !== undefined) {
        c.header('Retry-After', String(Math.max(1, Math.ceil(finkitError.retryAfterMs / 1000))));
      }
      return c.json(errorBody(finkitError), finkitError.httpStatus as 400);
    });
    target.notFound((c) =>
      c.json(errorBody(new FinkitError('NOT_FOUND', `No route ${c.req.method} ${c.req.path}`)), 404),
    );
  }

  if (options.cors) app.use('*', cors(options.cors));
  app.use(
    '*',
    bodyLimit({
      maxSize: options.limits?.bodyBytes ?? 1024 * 1024,
      onError: () => {
        throw new FinkitError('PAYLOAD_TOO_LARGE', 'Request body is too large');
      },
    }),
  );

  const auth = requireUser(options.authenticate);
  const limiter: MiddlewareHandler | null = options.limits?.rateLimit
    ? rateLimit(options.limits.rateLimit)
    : null;
  // `/x/*` also matches `/x` itself in Hono's router.
  const scoped = [...userScopedPrefixes.map((p) => `/${p}/*`), '/ws'];
  for (const path of scoped) {
    app.use(path, auth);
    if (limiter) app.use(path, limiter);
  }

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  registerAccountRoutes(app, finkit);
  registerConnectionRoutes(app, finkit);
  registerTransactionRoutes(app, finkit);
  registerBudgetRoutes(app, finkit);
  registerGoalRoutes(app, finkit);
  registerRuleRoutes(app, finkit);
  registerCategoryRoutes(app, finkit);
  registerNotificationRoutes(app, finkit, options.webPush ?? null);
  registerWebhookRoutes(app, finkit);
  if (options.websocket) app.get('/ws', options.websocket.handler);

  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: options.info?.title ?? 'finkit API',
      version: options.info?.version ?? '0.0.0',
      description:
        'Money is integer minor units with an ISO 4217 currency; dates are YYYY-MM-DD; timestamps ISO 8601. ' +
        'Errors are { error: { code, message, details } }.',
    },
  });
  const docsUrl = `${options.basePath ?? ''}/openapi.json`;
  app.get('/docs', (c) => c.html(docsPage(docsUrl, options.info?.title)));
  return app;
}
