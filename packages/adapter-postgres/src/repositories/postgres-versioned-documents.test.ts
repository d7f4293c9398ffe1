import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { createCategorizer, createStoreLearnerState, type Store } from '@finkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSchema, onServer, serverUrl, type TestSchema } from '../../test/test-databases.js';
import { createPostgresStore } from '../create-postgres-store.js';
import { migrate } from '../migrate.js';

const child = fileURLToPath(new URL('../../test/learner-correction-child.ts', import.meta.url));
const tx = (description: string) => ({ description, amount: -2_400, date: '2024-03-05' });

async function correctInChild(schema: string, description: string, categoryId: string): Promise<void> {
  const worker = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', child, serverUrl!, schema, description, categoryId],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  const [code] = await once(worker, 'exit');
  expect(code).toBe(0);
}

describe.skipIf(!serverUrl)(onServer('learned state across processes'), () => {
  let target: TestSchema;
  let store: Store;

  beforeAll(async () => {
    target = await createTestSchema(serverUrl!);
    await migrate(target.pool);
    store = await createPostgresStore({ db: target.pool });
  });
  afterAll(async () => {
    await store?.close();
    await target?.drop();
  });

  it("a running process sees another process's corrections, and concurrent ones are all kept", async () => {
    const categorizer = createCategorizer({ store, learner: createStoreLearnerState(store) });
    const [before] = await categorizer.categorize('alice', [tx('GREAT WESTERN POWER CO OAKLAND CA')]);
    expect(before!.categoryId).toBe('bills_and_utilities');

    await correctInChild(target.schema, 'GREAT WESTERN POWER CO OAKLAND CA', 'personal_care');
    const [after] = await categorizer.categorize('alice', [tx('GREAT WESTERN POWER CO OAKLAND CA')]);
    expect(after).toMatchObject({ categoryId: 'personal_care', signal: 'learned' });

    // Two other processes and this one correct at once, each from a cached state.
    await Promise.all([
      correctInChild(target.schema, 'ROCKRIDGE CLEANERS OAKLAND CA', 'personal_care'),
      correctInChild(target.schema, 'PIEDMONT PIANO LESSONS OAKLAND CA', 'education'),
      categorizer.recordCorrection('alice', tx('BLUE HERON FRAMING OAKLAND CA'), 'shopping'),
    ]);
    const saved = JSON.parse((await store.learnerState.get('alice'))!.json) as { corrections: number };
    expect(saved.corrections).toBe(4);
    const results = await categorizer.categorize('alice', [
      tx('ROCKRIDGE CLEANERS OAKLAND CA'),
      tx('PIEDMONT PIANO LESSONS OAKLAND CA'),
      tx('BLUE HERON FRAMING OAKLAND CA'),
    ]);
    expect(results.map((r) => r.categoryId)).toEqual(['personal_care', 'education', 'shopping']);
  }, 120_000);
});
