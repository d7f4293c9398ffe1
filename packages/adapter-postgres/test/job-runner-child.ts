// A worker process for the job runner test: takes one job, reports it, then hangs until killed.
import { createPgBossJobRunner } from '../src/create-pg-boss-job-runner.js';

const [url, schema] = process.argv.slice(2);
const runner = await createPgBossJobRunner({
  connectionString: url!,
  schema: schema!,
  pollingIntervalSeconds: 1,
});
await runner.work<{ n: number }>('hang', async (payload, job) => {
  process.stdout.write(`started ${job.id} ${payload.n}\n`);
  await new Promise(() => {});
});
process.stdout.write('ready\n');
