import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { EventBus, FinkitEvent } from '@finkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSchema, onServer, serverUrl, type TestSchema } from '../test/test-databases.js';
import { createPgEventBus } from './create-pg-event-bus.js';
import { migrate } from './migrate.js';

const child = fileURLToPath(new URL('../test/event-bus-child.ts', import.meta.url));

describe.skipIf(!serverUrl)(onServer('createPgEventBus'), () => {
  let target: TestSchema;
  let bus: EventBus;

  beforeAll(async () => {
    target = await createTestSchema(serverUrl!);
    await migrate(target.pool);
    bus = await createPgEventBus({ pool: target.pool });
  });
  afterAll(async () => {
    await bus?.close();
    await target?.drop();
  });

  it('carries events to another process, large ones by reference, and never echoes its own', async () => {
    const worker = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', child, serverUrl!, target.schema],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const exited = once(worker, 'exit');
    await new Promise<void>((resolve) => {
      worker.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('ready')) resolve();
      });
    });
    const seen: FinkitEvent[] = [];
    const reply = new Promise<FinkitEvent<'notification.created'>>((resolve) => {
      bus.subscribe('notification.created', resolve);
    });
    bus.subscribe('*', (event) => seen.push(event));
    await bus.publish({
      type: 'connection.removed',
      userId: 'u-1',
      at: new Date().toISOString(),
      data: { connectionId: 'c-1' },
    });
    const answer = await reply;
    expect(answer.data.body).toHaveLength(20_000);
    expect(answer.data.notificationId).toBe('c-1');
    // The reply was sent after our notification was delivered everywhere, so an echo would be here.
    expect(seen.map((event) => event.type)).toEqual(['connection.removed', 'notification.created']);
    const [code] = await exited;
    expect(code).toBe(0);
    const stored = await target.pool.query('select count(*)::int as n from finkit_event_payloads');
    expect(stored.rows[0].n).toBe(1);
  });
});
