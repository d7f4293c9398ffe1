import { readFile } from 'node:fs/promises';
import type { Authenticate } from '@finkit/adapter-hono';
import type { Finkit } from '@finkit/core';
import { Hono } from 'hono';
import { bundleDashboardScript } from './bundle-dashboard-script.js';
import { dashboardPage } from './dashboard-page.js';

/**
 * The dashboard at `/`, its script and styles, and the one read it needs that the REST API does
 * not offer: the user's bank connections with their status (tokens never included).
 */
export async function createDashboardRoutes(input: {
  finkit: Finkit;
  authenticate: Authenticate;
  demoToken: string;
  demo: boolean;
}): Promise<Hono> {
  const { finkit, authenticate } = input;
  const [script, styles] = await Promise.all([
    bundleDashboardScript(),
    readFile(new URL('./browser/dashboard.css', import.meta.url), 'utf8'),
  ]);
  const page = dashboardPage({ demoToken: input.demoToken, demo: input.demo });
  const app = new Hono();
  app.get('/', (c) => c.html(page));
  app.get('/dashboard.js', (c) => c.body(script, 200, { 'content-type': 'text/javascript; charset=utf-8' }));
  app.get('/dashboard.css', (c) => c.body(styles, 200, { 'content-type': 'text/css; charset=utf-8' }));
  app.get('/dashboard/connections', async (c) => {
    const userId = await Promise.resolve()
      .then(() => authenticate(c as never))
      .catch(() => null);
    if (!userId)
      return c.json({ error: { code: 'UNAUTHORIZED', message: 'A bearer token is required' } }, 401);
    return c.json({ items: await finkit.connections.list(userId) });
  });
  return app;
}
