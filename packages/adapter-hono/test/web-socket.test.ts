import type { AddressInfo } from 'node:net';
import { serve, upgradeWebSocket } from '@hono/node-server';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { bearerJwtAuthenticate } from '../src/bearer-jwt-authenticate.js';
import { createFinkitApp } from '../src/create-finkit-app.js';
import { createFinkitWebSocket } from '../src/create-finkit-web-socket.js';
import { createHarness, secret, tokenFor } from './app-fixture.js';

describe('GET /ws without a socket', () => {
  it('answers 401 without a token, 400 for a bad lastEventId or a plain GET', async () => {
    const h = await createHarness();
    const socket = createFinkitWebSocket(h.finkit, { upgradeWebSocket });
    const app = createFinkitApp(h.finkit, {
      authenticate: bearerJwtAuthenticate({ secret }),
      websocket: socket,
    });
    const upgrade = { upgrade: 'websocket', connection: 'Upgrade' };
    expect((await app.request('/ws', { headers: upgrade })).status).toBe(401);
    expect((await app.request('/ws?token=nope', { headers: upgrade })).status).toBe(401);
    const token = await tokenFor('alice');
    const bad = await app.request(`/ws?token=${token}&lastEventId=-1`, { headers: upgrade });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'VALIDATION' } });
    expect((await app.request('/ws', { headers: { authorization: `Bearer ${token}` } })).status).toBe(400);
    socket.close();
  });
});

describe('GET /ws with a real client', async () => {
  const h = await createHarness();
  const socket = createFinkitWebSocket(h.finkit, { upgradeWebSocket, bufferSize: 16 });
  const app = createFinkitApp(h.finkit, {
    authenticate: bearerJwtAuthenticate({ secret }),
    websocket: socket,
  });
  const server = serve({
    fetch: app.fetch,
    port: 0,
    websocket: { server: new WebSocketServer({ noServer: true }) },
  });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  afterAll(async () => {
    socket.close();
    await new Promise((resolve) => server.close(resolve));
  });

  function connect(query: string, headers: Record<string, string> = {}) {
    const client = new WebSocket(`ws://127.0.0.1:${port}/ws${query}`, { headers });
    const messages: { id?: number; type: string; data?: { transactionId?: string } }[] = [];
    const waiters: (() => void)[] = [];
    client.on('message', (data) => {
      messages.push(JSON.parse(data.toString()));
      for (const w of waiters.splice(0)) w();
    });
    const opened = new Promise<void>((resolve, reject) => {
      client.on('open', () => resolve());
      client.on('unexpected-response', (_req, res) => reject(new Error(`status ${res.statusCode}`)));
      client.on('error', reject);
    });
    const until = async (count: number) => {
      while (messages.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
      return messages;
    };
    return { client, opened, messages, until };
  }

  it("pushes the user's own events only, and resumes after a disconnect", async () => {
    const alice = connect('', { authorization: `Bearer ${h.aliceToken}` });
    const bob = connect(`?token=${h.bobToken}`);
    await Promise.all([alice.opened, bob.opened]);
    await h.call('PATCH', `/transactions/${h.alice.transactionIds[0]!}`, { notes: 'one' });
    await h.call('PATCH', `/transactions/${h.bob.transactionIds[0]!}`, { notes: 'b' }, h.bobToken);
    const [first] = await alice.until(1);
    expect(first).toMatchObject({
      type: 'transaction.updated',
      data: { transactionId: h.alice.transactionIds[0] },
    });
    await bob.until(1);
    expect(bob.messages.map((m) => m.data?.transactionId)).toEqual([h.bob.transactionIds[0]]);

    alice.client.close();
    await h.call('PATCH', `/transactions/${h.alice.transactionIds[1]!}`, { notes: 'two' });
    const back = connect(`?token=${h.aliceToken}&lastEventId=${first!.id}`);
    await back.opened;
    const [missed] = await back.until(1);
    expect(missed).toMatchObject({ data: { transactionId: h.alice.transactionIds[1] } });
    expect(missed!.id!).toBeGreaterThan(first!.id!);
    back.client.close();
    bob.client.close();
  });

  it('refuses the upgrade without a valid token', async () => {
    const anonymous = connect('?token=forged');
    await expect(anonymous.opened).rejects.toThrow('status 401');
  });
});
