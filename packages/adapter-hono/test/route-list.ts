import type { OpenAPIHono } from '@hono/zod-openapi';
import type { FinkitEnv } from '../src/finkit-env.js';
import type { Seeded } from './app-fixture.js';

export interface DocumentedRoute {
  method: string;
  /** OpenAPI form, `/transactions/{id}`. */
  path: string;
  authenticated: boolean;
  /** Routes that call the bank provider once input and ownership checks pass. */
  reachesProvider: boolean;
}

const providerRoutes = new Set([
  'POST /accounts/link-token',
  'POST /accounts/link',
  'GET /accounts/{id}/balance',
  'POST /accounts/{id}/sync',
  'DELETE /accounts/{id}',
]);

/** Every operation of the app's OpenAPI document: the tests cover what the document promises. */
export function documentedRoutes(app: OpenAPIHono<FinkitEnv>): DocumentedRoute[] {
  const doc = app.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 't', version: '0' } });
  const routes: DocumentedRoute[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item as Record<string, { security?: unknown[] }>)) {
      const upper = method.toUpperCase();
      routes.push({
        method: upper,
        path,
        authenticated: Array.isArray(op.security) && op.security.length > 0,
        reachesProvider: providerRoutes.has(`${upper} ${path}`),
      });
    }
  }
  return routes;
}

/** The path with `{id}` filled by the user's resource of the route's kind. */
export function concretePath(path: string, owner: Seeded): string {
  const kind = path.split('/')[1];
  const ids: Record<string, string> = {
    accounts: owner.accountId,
    connections: owner.connectionId,
    transactions: owner.transactionIds[0]!,
    budgets: owner.budgetId,
    goals: owner.goalId,
    rules: owner.ruleId,
    categories: owner.categoryId,
    notifications: owner.notificationId,
  };
  const id = kind ? ids[kind] : undefined;
  if (path.includes('{id}') && id === undefined) throw new Error(`no fixture id for ${path}`);
  return path.replace('{id}', encodeURIComponent(id ?? ''));
}

/** A body that passes validation for each route that takes one, so ownership is what decides. */
export function validBody(method: string, path: string, owner: Seeded): unknown {
  const bodies: Record<string, unknown> = {
    'POST /accounts/link-token': { connectionId: owner.connectionId },
    'POST /accounts/link': { publicToken: 'public-sandbox-token' },
    'POST /transactions/search': { query: 'coffee' },
    'POST /transactions/bulk-categorize': { ids: owner.transactionIds, categoryId: 'travel' },
    'PATCH /transactions/{id}': { notes: 'mine now' },
    'POST /budgets': { name: 'B', amount: 100, currency: 'USD', startDate: '2024-01-01' },
    'PUT /budgets/{id}': { name: 'B', amount: 100, currency: 'USD', startDate: '2024-01-01' },
    'POST /goals': { name: 'G', targetAmount: 100, currency: 'USD' },
    'PUT /goals/{id}': { name: 'G', targetAmount: 100, currency: 'USD' },
    'POST /goals/{id}/progress': { amount: 100, date: '2024-03-01' },
    'POST /rules': {
      name: 'R',
      conditions: [{ field: 'description', op: 'contains', value: 'x' }],
      actions: { hidden: true },
    },
    'PUT /rules/{id}': {
      name: 'R',
      conditions: [{ field: 'description', op: 'contains', value: 'x' }],
      actions: { hidden: true },
    },
    'POST /categories': { name: `Another ${Math.random()}` },
    'PATCH /categories/{id}': { name: 'Renamed' },
    'POST /notifications/push-subscriptions': {
      endpoint: 'https://push.example.com/send/alice-browser',
      expirationTime: null,
      keys: { p256dh: `B${'A'.repeat(86)}`, auth: 'A'.repeat(22) },
    },
    'DELETE /notifications/push-subscriptions': { endpoint: 'https://push.example.com/send/alice-browser' },
    'PUT /notifications/preferences': {
      timeZone: 'Europe/Paris',
      quietHours: { start: '22:00', end: '07:00' },
    },
    'POST /webhooks/plaid': { webhook_type: 'TRANSACTIONS', webhook_code: 'SYNC_UPDATES_AVAILABLE' },
  };
  return bodies[`${method} ${path}`];
}
