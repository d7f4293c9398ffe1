import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type BankProvider, FinkitError } from '@finkit/core';
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlaidProvider } from '../src/index.js';
import { type PlaidSandbox, startPlaidSandbox } from '../src/sandbox/index.js';

interface Received {
  body: string;
  headers: Record<string, string>;
}

let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];
let sandbox: PlaidSandbox;
let itemId: string;

const flatten = (headers: IncomingHttpHeaders): Record<string, string> =>
  Object.fromEntries(
    Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]),
  );

beforeAll(async () => {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      received.push({ body: Buffer.concat(chunks).toString('utf8'), headers: flatten(request.headers) });
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/plaid`;
  sandbox = await startPlaidSandbox({ seed: 8, historyDays: 30, webhookUrl: receiverUrl });
  const provider = newProvider();
  ({ itemId } = await provider.exchangePublicToken(sandbox.createPublicToken()));
});
afterAll(async () => {
  await sandbox.close();
  await new Promise((resolve) => receiver.close(resolve));
});

const newProvider = (now?: () => Date): BankProvider =>
  createPlaidProvider({
    clientId: 'c',
    secret: 's',
    basePath: sandbox.url,
    ...(now ? { clock: { now } } : {}),
  });

async function rejection(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!FinkitError.hasCode(error, 'WEBHOOK_VERIFICATION'))
    throw new Error(`expected WEBHOOK_VERIFICATION, got ${String(error)}`);
  return String(error.details.reason);
}

async function genuine(): Promise<Received> {
  const before = received.length;
  await sandbox.advance(2);
  const webhook = received[before];
  if (!webhook) throw new Error('the sandbox delivered no webhook');
  return webhook;
}

describe('Plaid webhook verification', () => {
  it('accepts a genuine webhook the sandbox delivered over HTTP, with any header case', async () => {
    const webhook = await genuine();
    const provider = newProvider();
    await expect(provider.verifyWebhook(webhook.body, webhook.headers)).resolves.toEqual({
      kind: 'sync_updates_available',
      itemId,
    });
    const shouting = { 'PLAID-VERIFICATION': webhook.headers['plaid-verification'] };
    await expect(provider.verifyWebhook(webhook.body, shouting)).resolves.toMatchObject({
      kind: 'sync_updates_available',
    });
  });

  it('parses the item webhooks and ignores legacy transaction webhooks', async () => {
    const provider = newProvider();
    const kinds: string[] = [];
    for (const code of [
      'ERROR',
      'PENDING_EXPIRATION',
      'USER_PERMISSION_REVOKED',
      'LOGIN_REPAIRED',
      'DEFAULT_UPDATE',
    ] as const) {
      const before = received.length;
      await sandbox.fireWebhook(itemId, code);
      const webhook = received[before];
      if (!webhook) throw new Error(`no ${code} webhook`);
      const parsed = await provider.verifyWebhook(webhook.body, webhook.headers);
      kinds.push(parsed.kind);
      if (parsed.kind === 'item_error') expect(parsed.code).toBe('ITEM_LOGIN_REQUIRED');
      if (parsed.kind === 'pending_expiration') expect(parsed.expiresAt).toEqual(expect.any(String));
      if (parsed.kind === 'ignored')
        expect([parsed.type, parsed.code]).toEqual(['TRANSACTIONS', 'DEFAULT_UPDATE']);
    }
    expect(kinds).toEqual([
      'item_error',
      'pending_expiration',
      'user_permission_revoked',
      'login_repaired',
      'ignored',
    ]);
  });

  it('rejects a missing header and a token that is not a JWT', async () => {
    const webhook = await genuine();
    expect(await rejection(newProvider().verifyWebhook(webhook.body, {}))).toBe('missing_header');
    expect(await rejection(newProvider().verifyWebhook(webhook.body, { 'plaid-verification': 'nope' }))).toBe(
      'malformed_token',
    );
  });

  it('rejects another algorithm (HS256) even with a known kid', async () => {
    const webhook = await genuine();
    const [protectedHeader] = webhook.headers['plaid-verification']?.split('.') ?? [];
    const { kid } = JSON.parse(Buffer.from(protectedHeader ?? '', 'base64url').toString()) as { kid: string };
    const forged = await new SignJWT({ request_body_sha256: 'x' })
      .setProtectedHeader({ alg: 'HS256', kid })
      .setIssuedAt()
      .sign(new TextEncoder().encode('a-shared-secret-of-enough-length-1234'));
    expect(await rejection(newProvider().verifyWebhook(webhook.body, { 'plaid-verification': forged }))).toBe(
      'wrong_algorithm',
    );
  });

  it('rejects an unknown kid and a signature by another key', async () => {
    const webhook = await genuine();
    const { privateKey } = await generateKeyPair('ES256');
    const sign = (kid: string) =>
      new SignJWT({ request_body_sha256: 'x' })
        .setProtectedHeader({ alg: 'ES256', kid })
        .setIssuedAt()
        .sign(privateKey);
    const unknown = await sign('no-such-key');
    expect(
      await rejection(newProvider().verifyWebhook(webhook.body, { 'plaid-verification': unknown })),
    ).toBe('unknown_key');
    const [protectedHeader] = webhook.headers['plaid-verification']?.split('.') ?? [];
    const { kid } = JSON.parse(Buffer.from(protectedHeader ?? '', 'base64url').toString()) as { kid: string };
    const impostor = await sign(kid);
    expect(
      await rejection(newProvider().verifyWebhook(webhook.body, { 'plaid-verification': impostor })),
    ).toBe('bad_signature');
    // A genuine header with its signature bytes altered.
    const token = webhook.headers['plaid-verification'] ?? '';
    const flipped = `${token.slice(0, -4)}${token.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    expect(
      await rejection(newProvider().verifyWebhook(webhook.body, { 'plaid-verification': flipped })),
    ).toBe('bad_signature');
  });

  it('tells an unreachable key endpoint apart from an unknown key', async () => {
    const webhook = await genuine();
    const gone = await startPlaidSandbox({ historyDays: 0 });
    await gone.close();
    const offline = createPlaidProvider({ clientId: 'c', secret: 's', basePath: gone.url });
    expect(await rejection(offline.verifyWebhook(webhook.body, webhook.headers))).toBe('key_unavailable');
  });

  it('rejects a tampered body', async () => {
    const webhook = await genuine();
    const tampered = webhook.body.replace(itemId, 'someone-elses-item');
    expect(tampered).not.toBe(webhook.body);
    expect(await rejection(newProvider().verifyWebhook(tampered, webhook.headers))).toBe('body_mismatch');
    // Re-serializing the JSON changes the bytes, and so the hash, too.
    const reformatted = JSON.stringify(JSON.parse(webhook.body));
    expect(await rejection(newProvider().verifyWebhook(reformatted, webhook.headers))).toBe('body_mismatch');
  });

  it('rejects a webhook issued more than 5 minutes ago', async () => {
    const webhook = await genuine();
    const sixMinutesLater = () => new Date(Date.now() + 6 * 60_000);
    expect(await rejection(newProvider(sixMinutesLater).verifyWebhook(webhook.body, webhook.headers))).toBe(
      'stale',
    );
    const oldHeader = await sandbox.signWebhook(webhook.body, {
      issuedAt: Math.floor(Date.now() / 1000) - 301,
    });
    expect(
      await rejection(newProvider().verifyWebhook(webhook.body, { 'plaid-verification': oldHeader })),
    ).toBe('stale');
    const fourMinutesOld = await sandbox.signWebhook(webhook.body, {
      issuedAt: Math.floor(Date.now() / 1000) - 240,
    });
    await expect(
      newProvider().verifyWebhook(webhook.body, { 'plaid-verification': fourMinutesOld }),
    ).resolves.toMatchObject({
      kind: 'sync_updates_available',
    });
  });

  it('rejects a webhook signed with a key that has since expired', async () => {
    const webhook = await genuine();
    await sandbox.rotateWebhookKey();
    expect(await rejection(newProvider().verifyWebhook(webhook.body, webhook.headers))).toBe('expired_key');
    // Webhooks signed with the new key still verify.
    const fresh = await genuine();
    await expect(newProvider().verifyWebhook(fresh.body, fresh.headers)).resolves.toMatchObject({
      kind: 'sync_updates_available',
    });
  });

  it('fetches each key once and serves later webhooks from the cache', async () => {
    const provider = newProvider();
    const first = await genuine();
    const second = await genuine();
    const fetchesBefore = sandbox.requests.filter(
      (r) => r.endpoint === '/webhook_verification_key/get',
    ).length;
    await provider.verifyWebhook(first.body, first.headers);
    await provider.verifyWebhook(second.body, second.headers);
    const fetchesAfter = sandbox.requests.filter(
      (r) => r.endpoint === '/webhook_verification_key/get',
    ).length;
    expect(fetchesAfter - fetchesBefore).toBe(1);
  });

  it('delivers duplicated and reordered webhooks when asked', async () => {
    sandbox.setWebhookDelivery({ duplicates: 1, reorder: true });
    try {
      const before = received.length;
      await sandbox.fireWebhook(itemId, 'LOGIN_REPAIRED');
      await sandbox.fireWebhook(itemId, 'PENDING_EXPIRATION');
      expect(received.length).toBe(before);
      await sandbox.flushWebhooks();
      const codes = received
        .slice(before)
        .map((w) => (JSON.parse(w.body) as { webhook_code: string }).webhook_code);
      expect(codes).toEqual(['PENDING_EXPIRATION', 'PENDING_EXPIRATION', 'LOGIN_REPAIRED', 'LOGIN_REPAIRED']);
    } finally {
      sandbox.setWebhookDelivery({ duplicates: 0, reorder: false });
    }
  });

  it('ignores a receiver that cannot be reached', async () => {
    const lonely = await startPlaidSandbox({ historyDays: 5, webhookUrl: 'http://127.0.0.1:9/unreachable' });
    try {
      const provider = createPlaidProvider({ clientId: 'c', secret: 's', basePath: lonely.url });
      await provider.exchangePublicToken(lonely.createPublicToken());
      await lonely.advance(3);
      expect(lonely.webhookDeliveries.at(-1)).toMatchObject({ status: null, code: 'SYNC_UPDATES_AVAILABLE' });
    } finally {
      await lonely.close();
    }
  });
});
