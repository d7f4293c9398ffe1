#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { startPlaidSandbox } from './start-plaid-sandbox.js';

const usage = `Usage: finkit-plaid-sandbox [--port 0] [--host 127.0.0.1] [--seed 42]
  [--client-id ID --secret SECRET] [--webhook-url URL] [--start-date YYYY-MM-DD] [--history-days 730]`;

function integer(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) {
    console.error(`--${name} must be a non-negative integer\n${usage}`);
    process.exit(2);
  }
  return Number.parseInt(value, 10);
}

async function main(): Promise<void> {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse().values;
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(usage);
    return;
  }
  if ((values['client-id'] === undefined) !== (values.secret === undefined)) {
    console.error(`--client-id and --secret go together\n${usage}`);
    process.exit(2);
  }
  const sandbox = await startPlaidSandbox({
    port: integer(values.port, 'port') ?? 0,
    host: values.host ?? '127.0.0.1',
    seed: integer(values.seed, 'seed') ?? 42,
    clientId: values['client-id'],
    secret: values.secret,
    webhookUrl: values['webhook-url'],
    startDate: values['start-date'],
    historyDays: integer(values['history-days'], 'history-days'),
  });
  const stop = (): void => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // Tools wait for this exact line to learn the port.
  console.log(`listening on ${sandbox.url}`);
}

function parse() {
  return parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      seed: { type: 'string' },
      'client-id': { type: 'string' },
      secret: { type: 'string' },
      'webhook-url': { type: 'string' },
      'start-date': { type: 'string' },
      'history-days': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
