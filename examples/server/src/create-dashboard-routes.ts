import { readFile } from 'node:fs/promises';
import { Hono } from 'hono';
import { bundleDashboardScript } from './bundle-dashboard-script.js';
import { dashboardPage } from './dashboard-page.js';

/** The dashboard at `/` with its script and styles; its data comes from the REST API. */
export async function createDashboardRoutes(input: { demoToken: string; demo: boolean }): Promise<Hono> {
  const [script, styles] = await Promise.all([
    bundleDashboardScript(),
    readFile(new URL('./browser/dashboard.css', import.meta.url), 'utf8'),
  ]);
  const page = dashboardPage({ demoToken: input.demoToken, demo: input.demo });
  const app = new Hono();
  app.get('/', (c) => c.html(page));
  app.get('/dashboard.js', (c) => c.body(script, 200, { 'content-type': 'text/javascript; charset=utf-8' }));
  app.get('/dashboard.css', (c) => c.body(styles, 200, { 'content-type': 'text/css; charset=utf-8' }));
  return app;
}
