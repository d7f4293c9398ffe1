// Another process for the learned-state test: corrects one merchant through its own categorizer.
import { createCategorizer, createStoreLearnerState } from '@finkit/core';
import pg from 'pg';
import { createPostgresStore } from '../src/create-postgres-store.js';

const [url, schema, description, categoryId] = process.argv.slice(2);
const pool = new pg.Pool({ connectionString: url, options: `-c search_path=${schema}`, max: 2 });
const store = await createPostgresStore({ db: pool });
const categorizer = createCategorizer({ store, learner: createStoreLearnerState(store) });
// Cache the state first, as a long-running process would have it.
await categorizer.categorize('alice', [{ description: 'WARM UP', amount: -100, date: '2024-03-01' }]);
await categorizer.recordCorrection(
  'alice',
  { description: description!, amount: -2_400, date: '2024-03-05' },
  categoryId!,
);
await store.close();
await pool.end();
