import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../src/demo-user.js';
import { readConfig } from '../src/read-config.js';
import { type ExampleServer, startExampleServer } from '../src/start-example-server.js';

// The dashboard in headless Chromium against a real example server (PGlite, in-process sandbox,
// webhooks, WebSocket). The tests share one server and run in order: each leaves data the next
// may see, and none depends on another having passed.

const screenshotPath = new URL('../test-results/dashboard.png', import.meta.url);
const wait = { timeout: 60_000 };
// A host name Chromium resolves to the server: a page there is not a secure context (only https,
// localhost and loopback addresses are), so the browser gives it no service worker or Push API.
const insecureHost = 'push-less.test';
let server: ExampleServer;
let browser: Browser;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'finkit-dashboard-'));
  [server, browser] = await Promise.all([
    startExampleServer(readConfig({ PORT: '0', FINKIT_DATA_DIR: dataDir, FINKIT_EMBEDDER: 'none' })),
    chromium.launch({
      executablePath: '/usr/bin/chromium',
      // playwright gives each launch a fresh temporary --user-data-dir.
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        `--host-resolver-rules=MAP ${insecureHost} 127.0.0.1`,
      ],
    }),
  ]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`${server.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${server.demoToken}`, 'content-type': 'application/json' },
  });
  expect(response.status, `${path}: ${response.status}`).toBeLessThan(300);
  return (await response.json()) as T;
}

/**
 * A page showing the dashboard with its data loaded and the live connection open; `before` runs
 * on the blank page first (to set permissions the page must see from its start).
 */
async function openDashboard(
  options: { url?: string; before?: (page: Page) => Promise<void> } = {},
): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await options.before?.(page);
  await page.goto(options.url ?? server.url);
  await page.waitForSelector('body[data-ready="true"]', wait);
  await page.waitForSelector('[data-live="open"]', wait);
  expect(errors).toEqual([]);
  return page;
}

async function rowIds(page: Page): Promise<string[]> {
  return page.$$eval('[data-testid="transactions"] tr', (rows) =>
    rows.map((row) => row.getAttribute('data-transaction-id') ?? ''),
  );
}

describe('the dashboard', () => {
  it('shows the demo accounts, transactions, budgets and goal, and saves a screenshot', async () => {
    const page = await openDashboard();
    try {
      const accounts = page.locator('[data-testid="accounts"]');
      for (const name of ['Plaid Checking', 'Plaid Saving', 'Plaid Credit Card']) {
        await accounts.getByText(name).waitFor(wait);
      }
      await accounts.getByText('First Platypus Bank').waitFor(wait);
      expect(await accounts.locator('.status').first().textContent()).toBe('active');
      expect((await rowIds(page)).length).toBeGreaterThan(50);
      // Amounts are formatted by core's formatMoney: a dollar sign and exactly two decimals.
      expect(await page.locator('[data-testid="transactions"] td.amount').first().textContent()).toMatch(
        /^-?\$[\d,]+\.\d\d$/,
      );
      await page.locator('[data-testid="budgets"] [role="progressbar"]').nth(1).waitFor(wait);
      expect(await page.locator('[data-testid="budgets"] .threshold').count()).toBeGreaterThan(0);
      // The demo budgets began three months back: their earlier periods are listed.
      expect(await page.locator('[data-testid="budgets"] .history li').count()).toBe(6);
      await page.locator('[data-testid="goals"] svg.chart path.projection').waitFor(wait);

      await mkdir(new URL('.', screenshotPath), { recursive: true });
      await page.screenshot({ path: screenshotPath.pathname });
      const png = await readFile(screenshotPath);
      expect(png.length).toBeGreaterThan(10_000);
      expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    } finally {
      await page.close();
    }
  }, 120_000);

  it('says plainly that search by meaning is off when the server has no embedder', async () => {
    const page = await openDashboard();
    try {
      await page.getByLabel('Search by meaning').fill('coffee');
      await page.locator('[data-testid="search"] button').click();
      const message = page.locator('[data-testid="transactions-message"]');
      await message.getByText('Search by meaning is off').waitFor(wait);
      expect(await message.textContent()).toContain('FINKIT_EMBEDDER=none');
    } finally {
      await page.close();
    }
  }, 60_000);

  it('links a second bank through the sandbox and shows its accounts', async () => {
    const page = await openDashboard();
    try {
      const before = await page.locator('[data-testid="accounts"] .account').count();
      await page.getByRole('button', { name: 'Link a bank' }).click();
      await page.getByRole('button', { name: 'Tartan Bank' }).click();
      const accounts = page.locator('[data-testid="accounts"]');
      await accounts.locator('.connection', { hasText: 'Tartan Bank' }).waitFor(wait);
      expect(await accounts.locator('.connection').count()).toBe(2);
      expect(await accounts.locator('.account').count()).toBeGreaterThan(before);
      const { items } = await api<{ items: unknown[] }>('/accounts');
      expect(items.length).toBe(await accounts.locator('.account').count());
    } finally {
      await page.close();
    }
  }, 120_000);

  it('syncs a connection now and reports what changed', async () => {
    const page = await openDashboard();
    try {
      await page.getByRole('button', { name: 'Sync now' }).first().click();
      await page
        .locator('[data-testid="toasts"] .toast', { hasText: /\d+ new, \d+ changed, \d+ removed/ })
        .waitFor(wait);
    } finally {
      await page.close();
    }
  }, 60_000);

  it('saves a category edit as the user’s, and it survives a reload', async () => {
    const page = await openDashboard();
    try {
      const row = page.locator('[data-testid="transactions"] tr').first();
      const id = (await row.getAttribute('data-transaction-id')) ?? '';
      const select = row.locator('select.category');
      const current = await select.inputValue();
      const options = await select
        .locator('option')
        .evaluateAll((all) => all.map((o) => (o as HTMLOptionElement).value));
      const target = options.find((value) => value !== current && value !== '') ?? '';
      await select.selectOption(target);
      const edited = page.locator(`tr[data-transaction-id="${id}"]`);
      await edited.locator('[data-testid="category-source"]', { hasText: 'user' }).waitFor(wait);

      await page.reload();
      await page.waitForSelector('body[data-ready="true"]', wait);
      expect(await edited.locator('select.category').inputValue()).toBe(target);
      expect(await edited.locator('[data-testid="category-source"]').textContent()).toBe('user');
      const stored = await api<{ categoryId: string; sources: { categoryId?: string } }>(
        `/transactions/${id}`,
      );
      expect(stored).toMatchObject({ categoryId: target, sources: { categoryId: 'user' } });
    } finally {
      await page.close();
    }
  }, 60_000);

  it('shows a transaction that arrives after “advance” without a reload', async () => {
    const page = await openDashboard();
    try {
      const before = new Set(await rowIds(page));
      // A reload would lose this; it must still be there when the new row shows.
      await page.evaluate(() => {
        document.body.dataset.sameDocument = 'yes';
      });
      await page.getByTestId('advance').click();
      const arrived = page.locator('[data-testid="transactions"] tr.new').first();
      await arrived.waitFor(wait);
      expect(before.has((await arrived.getAttribute('data-transaction-id')) ?? '')).toBe(false);
      expect(await page.evaluate(() => document.body.dataset.sameDocument)).toBe('yes');
    } finally {
      await page.close();
    }
  }, 120_000);

  it('pops up a budget alert when advancing crosses a budget’s threshold', async () => {
    const page = await openDashboard();
    try {
      const { today } = await api<{ today: string }>('/demo/institutions');
      await api('/budgets', {
        method: 'POST',
        body: JSON.stringify({
          name: 'Tiny test budget',
          amount: 100,
          currency: 'USD',
          startDate: `${today.slice(0, 7)}-01`,
          categoryIds: [],
          thresholds: [100],
        }),
      });
      await page.getByTestId('advance').click();
      const alert = page.locator('[data-testid="toasts"] .toast.alert', { hasText: 'Tiny test budget' });
      await alert.waitFor(wait);
      expect(await alert.textContent()).toContain('crossed 100%');
      await page.locator('[data-testid="budgets"] .budget', { hasText: 'Tiny test budget' }).waitFor(wait);
    } finally {
      await page.close();
    }
  }, 120_000);
});

/**
 * Sets the page's notification permission through CDP, in the page's own browser context
 * (playwright gives each page a new one; CDP's default context is another).
 */
async function setNotificationPermission(page: Page, origin: string, setting: 'granted' | 'denied') {
  const pageSession = await page.context().newCDPSession(page);
  const { targetInfo } = await pageSession.send('Target.getTargetInfo');
  const browserSession = await browser.newBrowserCDPSession();
  await browserSession.send('Browser.setPermission', {
    permission: { name: 'notifications' },
    setting,
    // As a URL: Chromium ignores the setting, silently, for a bare origin without the slash.
    origin: new URL(origin).href,
    browserContextId: targetInfo.browserContextId,
  });
  // Not the browser session: Chromium drops its permission overrides when it detaches.
  await pageSession.detach();
}

// Well inside the tests' own limit, so a wrong state fails with what was found, not a time-out.
const pushWait = { timeout: 20_000 };

async function pushState(page: Page, state: string): Promise<string> {
  const control = page.locator(`[data-testid="push"][data-state="${state}"]`);
  await control.waitFor(pushWait).catch(async (error: unknown) => {
    const found = page.getByTestId('push');
    const shown = `${await found.getAttribute('data-state')}: ${await found.getByTestId('push-message').textContent()}`;
    throw new Error(`push control not "${state}" but ${shown}`, { cause: error });
  });
  return (await control.getByTestId('push-message').textContent()) ?? '';
}

describe('the dashboard’s push notifications control', () => {
  it('offers push with the server’s key, and shows a failed subscribe without posting anything', async () => {
    const page = await openDashboard();
    try {
      await pushState(page, 'off');
      const enable = page.getByRole('button', { name: 'Enable push notifications' });
      await enable.waitFor(wait);
      // Browser.grantPermissions: the permission prompt a headless browser cannot show.
      await page.context().grantPermissions(['notifications'], { origin: server.url });
      await enable.click();
      // Headless Chromium here has no push service, so pushManager.subscribe itself rejects
      // ("Registration failed"). The message is only written where subscribe's rejection is caught.
      const message = await pushState(page, 'error');
      expect(message).toMatch(/^Could not subscribe: .*Registration failed/);
      expect(await enable.isVisible()).toBe(true);
      const registration = await page.evaluate(async () => {
        const found = await navigator.serviceWorker.getRegistration('/');
        return { scope: found?.scope, script: found?.active?.scriptURL };
      });
      expect(registration).toEqual({
        scope: `${server.url}/`,
        script: `${server.url}/push-service-worker.js`,
      });
      expect(await server.finkit.context.store.pushSubscriptions.list(DEMO_USER)).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);

  it('shows a pushed message as a notification from its service worker', async () => {
    const page = await openDashboard();
    try {
      await page.context().grantPermissions(['notifications'], { origin: server.url });
      await page.evaluate(async () => {
        await navigator.serviceWorker.register('/push-service-worker.js', { scope: '/' });
        await navigator.serviceWorker.ready;
      });
      const session = await page.context().newCDPSession(page);
      const registrationId = new Promise<string>((resolve) => {
        session.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
          const ours = registrations.find((r) => r.scopeURL === `${server.url}/` && !r.isDeleted);
          if (ours) resolve(ours.registrationId);
        });
      });
      await session.send('ServiceWorker.enable');
      // What createWebPushChannel encrypts and sends; the browser hands the worker this plaintext.
      const message = {
        id: 'budget:b1:2026-03:80:push',
        type: 'budget.threshold_crossed',
        title: 'Groceries at 80%',
        body: 'You have spent $320.00 of $400.00.',
        data: { budgetId: 'b1' },
      };
      await session.send('ServiceWorker.deliverPushMessage', {
        origin: server.url,
        registrationId: await registrationId,
        data: JSON.stringify(message),
      });
      await expect
        .poll(
          () =>
            page.evaluate(async () =>
              (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => ({
                title: n.title,
                body: n.body,
                tag: n.tag,
                data: n.data as unknown,
              })),
            ),
          pushWait,
        )
        .toEqual([
          {
            title: message.title,
            body: message.body,
            tag: message.id,
            data: { type: message.type, budgetId: 'b1' },
          },
        ]);
    } finally {
      await page.close();
    }
  }, 60_000);

  it('says so when the user has blocked notifications for the site', async () => {
    const page = await openDashboard({
      before: (blank) => setNotificationPermission(blank, server.url, 'denied'),
    });
    try {
      expect(await pushState(page, 'denied')).toContain('blocked');
      expect(await page.getByRole('button', { name: 'Enable push notifications' }).isVisible()).toBe(false);
    } finally {
      await page.close();
    }
  }, 60_000);

  it('says so when the browser offers no Push API (a page that is not a secure context)', async () => {
    const page = await openDashboard({ url: server.url.replace('127.0.0.1', insecureHost) });
    try {
      // Chromium still defines PushManager there; it is the missing service worker that rules push out.
      expect(await page.evaluate(() => [window.isSecureContext, 'serviceWorker' in navigator])).toEqual([
        false,
        false,
      ]);
      expect(await pushState(page, 'unsupported')).toContain('https pages and localhost');
    } finally {
      await page.close();
    }
  }, 60_000);

  it('says so when the server has no web push configured (501 for its key)', async () => {
    const pushlessDir = await mkdtemp(join(tmpdir(), 'finkit-dashboard-pushless-'));
    const pushless = await startExampleServer(
      readConfig({
        PORT: '0',
        FINKIT_DATA_DIR: pushlessDir,
        FINKIT_EMBEDDER: 'none',
        FINKIT_WEB_PUSH: 'off',
      }),
    );
    try {
      const key = await fetch(`${pushless.url}/notifications/push-subscriptions/public-key`, {
        headers: { authorization: `Bearer ${pushless.demoToken}` },
      });
      expect(key.status).toBe(501);
      const page = await openDashboard({ url: pushless.url });
      try {
        expect(await pushState(page, 'unavailable')).toContain('no web push configured');
        expect(await page.getByRole('button', { name: 'Enable push notifications' }).isVisible()).toBe(false);
      } finally {
        await page.close();
      }
    } finally {
      await pushless.close();
      await rm(pushlessDir, { recursive: true, force: true });
    }
  }, 120_000);
});
