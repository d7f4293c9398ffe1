import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SandboxWebhookCode } from './build-webhook-payload.js';
import { isCalendarDate } from './calendar-date.js';
import { createSandboxRoutes } from './create-sandbox-routes.js';
import { createSandboxState, type PublicTokenOptions } from './create-sandbox-state.js';
import {
  createWebhookDispatcher,
  type WebhookDelivery,
  type WebhookDeliveryOptions,
} from './create-webhook-dispatcher.js';
import { createWebhookSigner } from './create-webhook-signer.js';
import type { RequestBody } from './read-request-field.js';
import { type PlaidTransactionJson, renderTransaction } from './render-plaid-json.js';
import { itemLoginRequired, SandboxPlaidError, sandboxError } from './sandbox-plaid-error.js';

export interface StartPlaidSandboxOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Same seed, same institutions, accounts and history, byte for byte. Default 42. */
  seed?: number;
  /** When both are set only this pair is accepted; otherwise any non-empty pair is. */
  clientId?: string;
  secret?: string;
  /** Where items send webhooks unless their public token named another URL. */
  webhookUrl?: string;
  /** The sandbox's "today" (YYYY-MM-DD). Fixed by default so data never depends on the host clock. */
  startDate?: string;
  /** Days of history generated for every new item. Default 730. */
  historyDays?: number;
  webhookDelivery?: WebhookDeliveryOptions;
}

export type SandboxFaultKind =
  | 'mutation_during_pagination'
  | 'rate_limit'
  | 'server_error'
  | 'timeout'
  | 'item_login_required';

export interface SandboxFault {
  /** A Plaid path such as `/transactions/sync`, or `*` for every endpoint. */
  endpoint: string;
  kind: SandboxFaultKind;
  /** How many matching requests fail. Default 1. */
  times?: number;
  /** Matching requests to let through before failing (e.g. 1 fails the second sync page). */
  after?: number;
  /** For `rate_limit`: the Retry-After header in seconds (default 1; null sends none, like Plaid). */
  retryAfterSeconds?: number | null;
}

/** A request the sandbox answered (or, for a `timeout` fault, never answered: status null). */
export interface SandboxRequest {
  endpoint: string;
  status: number | null;
}

export interface SandboxItemSummary {
  itemId: string;
  accessToken: string;
  institutionId: string;
  webhook: string | null;
  error: string | null;
  removed: boolean;
}

export interface PlaidSandbox {
  /** Base URL to give the plaid client as `basePath`, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
  /** The sandbox's current date. */
  today(): string;
  /** Moves the clock forward; then sends SYNC_UPDATES_AVAILABLE for each item that changed. */
  advance(days?: number): Promise<void>;
  injectFault(fault: SandboxFault): void;
  clearFaults(): void;
  setWebhookDelivery(options: WebhookDeliveryOptions): void;
  /** Delivers webhooks held by `reorder`, newest first. */
  flushWebhooks(): Promise<void>;
  readonly webhookDeliveries: readonly WebhookDelivery[];
  readonly requests: readonly SandboxRequest[];
  /** Like `/sandbox/public_token/create` (user_good/pass_good unless overridden). */
  createPublicToken(institutionId?: string, options?: PublicTokenOptions): string;
  /** Like `/sandbox/item/fire_webhook`. */
  fireWebhook(itemId: string, code: SandboxWebhookCode): Promise<void>;
  items(): SandboxItemSummary[];
  /** The current transactions of an item in Plaid's wire shape, by date then id: what a client that applied every sync page must hold. */
  truth(itemId: string): PlaidTransactionJson[];
  /** Puts the item into ITEM_LOGIN_REQUIRED until `repairLogin`. */
  resetLogin(itemId: string): void;
  /** Clears the item's error and sends LOGIN_REPAIRED. */
  repairLogin(itemId: string): Promise<void>;
  /** Retires the webhook signing key (its `expired_at` is set) and starts signing with a new one. */
  rotateWebhookKey(): Promise<void>;
  /** A `Plaid-Verification` header value for `body`, optionally issued at another time (unix seconds). */
  signWebhook(body: string, options?: { issuedAt?: number }): Promise<string>;
}

interface ActiveFault extends Required<Omit<SandboxFault, 'retryAfterSeconds'>> {
  retryAfterSeconds: number | null;
}

const maxBodyBytes = 1_000_000;

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        reject(sandboxError(413, 'INVALID_REQUEST', 'INVALID_BODY', 'request body is too large'));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function faultError(fault: ActiveFault): SandboxPlaidError {
  switch (fault.kind) {
    case 'rate_limit': {
      const error = sandboxError(
        429,
        'RATE_LIMIT_EXCEEDED',
        fault.endpoint === '/transactions/sync' ? 'TRANSACTIONS_SYNC_LIMIT' : 'RATE_LIMIT',
        'rate limit exceeded for attempts to access this item. please try again later',
      );
      return fault.retryAfterSeconds === null
        ? error
        : new SandboxPlaidError(error.status, error.body, { 'retry-after': String(fault.retryAfterSeconds) });
    }
    case 'server_error':
      return sandboxError(
        500,
        'API_ERROR',
        'INTERNAL_SERVER_ERROR',
        'an unexpected error occurred',
        'Internal server error occurred',
      );
    case 'item_login_required':
      return itemLoginRequired();
    case 'mutation_during_pagination':
      return sandboxError(
        400,
        'TRANSACTIONS_ERROR',
        'TRANSACTIONS_SYNC_MUTATION_DURING_PAGINATION',
        'Underlying transaction data changed since last page was fetched. Please restart pagination from last update.',
      );
    case 'timeout':
      throw new Error('timeout faults are not errors');
  }
}

/** Starts an offline Plaid-compatible server on node:http. */
export async function startPlaidSandbox(options: StartPlaidSandboxOptions = {}): Promise<PlaidSandbox> {
  const startDate = options.startDate ?? '2025-06-30';
  if (!isCalendarDate(startDate)) throw new Error(`startDate must be YYYY-MM-DD, got ${startDate}`);
  const historyDays = options.historyDays ?? 730;
  if (!Number.isInteger(historyDays) || historyDays < 0)
    throw new Error('historyDays must be a non-negative integer');
  const strict = options.clientId !== undefined && options.secret !== undefined;

  const signer = await createWebhookSigner();
  const dispatcher = createWebhookDispatcher(signer, options.webhookDelivery);
  const state = createSandboxState({
    seed: options.seed ?? 42,
    startDate,
    historyDays,
    webhookUrl: options.webhookUrl ?? null,
    dispatcher,
  });
  const routes = createSandboxRoutes(state, signer);
  let faults: ActiveFault[] = [];
  const requests: SandboxRequest[] = [];

  const takeFault = (endpoint: string): ActiveFault | undefined => {
    for (const fault of faults) {
      if (fault.endpoint !== '*' && fault.endpoint !== endpoint) continue;
      if (fault.after > 0) {
        fault.after--;
        continue;
      }
      fault.times--;
      faults = faults.filter((f) => f.times > 0);
      return fault;
    }
    return undefined;
  };

  const authenticate = (request: IncomingMessage, body: RequestBody): void => {
    const header = (name: string): string | undefined => {
      const value = request.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const clientId = typeof body.client_id === 'string' ? body.client_id : header('plaid-client-id');
    const secret = typeof body.secret === 'string' ? body.secret : header('plaid-secret');
    if (!clientId || !secret) {
      throw sandboxError(
        400,
        'INVALID_REQUEST',
        'MISSING_FIELDS',
        `the following required fields are missing: ${!clientId ? 'client_id' : 'secret'}`,
      );
    }
    if (strict && (clientId !== options.clientId || secret !== options.secret)) {
      throw sandboxError(400, 'INVALID_INPUT', 'INVALID_API_KEYS', 'invalid client_id or secret provided');
    }
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const endpoint = (request.url ?? '/').split('?')[0] ?? '/';
    const requestId = state.requestId();
    const send = (
      status: number,
      payload: Record<string, unknown>,
      headers: Record<string, string> = {},
    ): void => {
      requests.push({ endpoint, status });
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify({ ...payload, request_id: requestId }));
    };
    try {
      const route = routes[endpoint];
      if (request.method !== 'POST' || !route) {
        throw sandboxError(
          404,
          'INVALID_REQUEST',
          'UNKNOWN_ENDPOINT',
          `unknown endpoint: ${request.method} ${endpoint}`,
        );
      }
      const text = await readBody(request);
      let body: RequestBody;
      try {
        const parsed: unknown = text === '' ? {} : JSON.parse(text);
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
          throw new Error('not an object');
        body = parsed as RequestBody;
      } catch {
        throw sandboxError(400, 'INVALID_REQUEST', 'INVALID_BODY', 'body could not be parsed as JSON');
      }
      authenticate(request, body);
      const fault = takeFault(endpoint);
      if (fault?.kind === 'timeout') {
        // Never answer: the client's own timeout is what is being tested. close() ends the socket.
        requests.push({ endpoint, status: null });
        return;
      }
      if (fault) throw faultError(fault);
      send(200, await route(body));
    } catch (error) {
      if (error instanceof SandboxPlaidError) {
        send(
          error.status,
          { ...error.body, causes: [], status: error.status, documentation_url: '', suggested_action: null },
          error.headers,
        );
      } else {
        send(500, {
          error_type: 'API_ERROR',
          error_code: 'INTERNAL_SERVER_ERROR',
          error_message: error instanceof Error ? error.message : 'an unexpected error occurred',
          display_message: null,
        });
      }
    }
  };

  const server = createServer((request, response) => {
    void handle(request, response);
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  const summary = (itemId: string): SandboxItemSummary => {
    const item = state.item(itemId);
    return {
      itemId: item.itemId,
      accessToken: item.accessToken,
      institutionId: item.institutionId,
      webhook: item.webhook,
      error: item.error?.error_code ?? null,
      removed: item.removed,
    };
  };

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets and requests held by `timeout` faults would keep close() waiting.
        server.closeAllConnections();
      }),
    today: () => state.today(),
    advance: (days = 1) => state.advance(days),
    injectFault(fault) {
      faults.push({
        endpoint: fault.endpoint,
        kind: fault.kind,
        times: fault.times ?? 1,
        after: fault.after ?? 0,
        retryAfterSeconds: fault.retryAfterSeconds === undefined ? 1 : fault.retryAfterSeconds,
      });
    },
    clearFaults() {
      faults = [];
    },
    setWebhookDelivery: (delivery) => dispatcher.configure(delivery),
    flushWebhooks: () => dispatcher.flush(),
    webhookDeliveries: dispatcher.deliveries,
    requests,
    createPublicToken: (institutionId = 'ins_109508', tokenOptions) =>
      state.createPublicToken(institutionId, tokenOptions),
    fireWebhook: (itemId, code) => state.sendWebhook(state.item(itemId), code),
    items: () => [...state.items.keys()].map(summary),
    truth: (itemId) => state.item(itemId).truth().map(renderTransaction),
    resetLogin(itemId) {
      state.item(itemId).error = itemLoginRequired().body;
    },
    async repairLogin(itemId) {
      const item = state.item(itemId);
      item.error = null;
      await state.sendWebhook(item, 'LOGIN_REPAIRED');
    },
    rotateWebhookKey: () => signer.rotate(),
    signWebhook: (body, signOptions) => signer.sign(body, signOptions),
  };
}
