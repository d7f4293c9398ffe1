import { resolve } from 'node:path';

/** Everything the example server reads from its environment; each part has an embedded default. */
export interface ExampleServerConfig {
  port: number;
  host: string;
  /** Where PGlite, the demo's keys and the sandbox's state live. */
  dataDir: string;
  /** PostgreSQL (with pg-boss and LISTEN/NOTIFY) instead of embedded PGlite. */
  databaseUrl: string | null;
  /** Real Plaid (or any Plaid-compatible server) instead of the in-process sandbox. */
  plaid: {
    clientId: string;
    secret: string;
    environment: 'sandbox' | 'production' | null;
    basePath: string | null;
  } | null;
  plaidWebhookUrl: string | null;
  embedder: 'bundled' | 'none';
  /** Seed of the in-process sandbox's data. */
  sandboxSeed: number;
  /** Email alerts over SMTP (`smtp://user:pass@host:port`), sent from `from` to the demo user's `to`. */
  smtp: { url: string; from: string; to: string | null } | null;
  /** Every notification also POSTed to this URL, signed with the secret (see `verifyWebhookSignature`). */
  notifyWebhook: { url: string; secret: string } | null;
  /** Web push to subscribed browsers (a VAPID key pair in the data dir); off, the key route answers 501. */
  webPush: boolean;
}

function integer(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value)) throw new Error(`${name} must be a whole number, got ${JSON.stringify(value)}`);
  return Number(value);
}

function required(name: string, value: string | undefined): string {
  if (!value) throw new Error(`${name} must be set`);
  return value;
}

export function readConfig(env: NodeJS.ProcessEnv, cwd = process.cwd()): ExampleServerConfig {
  const plaidEnv = env.PLAID_ENV ?? 'sandbox';
  const hasPlaid = Boolean(env.PLAID_CLIENT_ID || env.PLAID_SECRET);
  if (hasPlaid && !(env.PLAID_CLIENT_ID && env.PLAID_SECRET)) {
    throw new Error('Set both PLAID_CLIENT_ID and PLAID_SECRET, or neither to use the built-in sandbox');
  }
  const isUrl = /^https?:\/\//.test(plaidEnv);
  if (!isUrl && plaidEnv !== 'sandbox' && plaidEnv !== 'production') {
    throw new Error(`PLAID_ENV must be sandbox, production or a URL, got ${JSON.stringify(plaidEnv)}`);
  }
  const embedder = env.FINKIT_EMBEDDER ?? 'bundled';
  if (embedder !== 'bundled' && embedder !== 'none') {
    throw new Error(`FINKIT_EMBEDDER must be bundled or none, got ${JSON.stringify(embedder)}`);
  }
  const webPush = env.FINKIT_WEB_PUSH ?? 'on';
  if (webPush !== 'on' && webPush !== 'off') {
    throw new Error(`FINKIT_WEB_PUSH must be on or off, got ${JSON.stringify(webPush)}`);
  }
  return {
    port: integer('PORT', env.PORT, 3000),
    host: env.HOST ?? '127.0.0.1',
    dataDir: resolve(cwd, env.FINKIT_DATA_DIR ?? '.finkit-data'),
    databaseUrl: env.DATABASE_URL || null,
    plaid: hasPlaid
      ? {
          clientId: env.PLAID_CLIENT_ID ?? '',
          secret: env.PLAID_SECRET ?? '',
          environment: isUrl ? null : (plaidEnv as 'sandbox' | 'production'),
          basePath: isUrl ? plaidEnv : null,
        }
      : null,
    plaidWebhookUrl: env.PLAID_WEBHOOK_URL || null,
    embedder,
    sandboxSeed: integer('FINKIT_SANDBOX_SEED', env.FINKIT_SANDBOX_SEED, 42),
    smtp: env.SMTP_URL
      ? {
          url: env.SMTP_URL,
          from: env.SMTP_FROM ?? 'finkit <alerts@finkit.local>',
          to: env.DEMO_EMAIL || null,
        }
      : null,
    notifyWebhook: env.NOTIFY_WEBHOOK_URL
      ? { url: env.NOTIFY_WEBHOOK_URL, secret: required('NOTIFY_WEBHOOK_SECRET', env.NOTIFY_WEBHOOK_SECRET) }
      : null,
    webPush: webPush === 'on',
  };
}
