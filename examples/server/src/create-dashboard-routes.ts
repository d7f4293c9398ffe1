import { readFile } from 'node:fs/promises';
import { Hono } from 'hono';
import { PUSH_SERVICE_WORKER_URL } from './browser/push-service-worker-url.js';
import { bundleDashboardScript } from './bundle-dashboard-script.js';
import { dashboardPage } from './dashboard-page.js';

const javascript = 'text/javascript; charset=utf-8';

/**
 * The dashboard at `/` with its script, styles and push service worker; its data comes from the
 * REST API.
 */
export async function createDashboardRoutes(input: { demoToken: string; demo: boolean }): Promise<Hono> {
  const [script, serviceWorker, styles] = await Promise.all([
    bundleDashboardScript('dashboard.ts'),
    bundleDashboardScript('push-service-worker.ts'),
    readFile(new URL('./browser/dashboard.css', import.meta.url), 'utf8'),
  ]);
  const page = dashboardPage({ demoToken: input.demoToken, demo: input.demo });
  const app = new Hono();
  app.get('/', (c) => c.html(page));
  app.get('/dashboard.js', (c) => c.body(script, 200, { 'content-type': javascript }));
  app.get('/dashboard.css', (c) => c.body(styles, 200, { 'content-type': 'text/css; charset=utf-8' }));
  // no-cache: a browser checks a registered worker for updates and would otherwise keep an old one.
  app.get(PUSH_SERVICE_WORKER_URL, (c) =>
    c.body(serviceWorker, 200, { 'content-type': javascript, 'cache-control': 'no-cache' }),
  );
  return app;
}
