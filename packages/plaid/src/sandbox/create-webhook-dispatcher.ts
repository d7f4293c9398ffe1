import type { WebhookSigner } from './create-webhook-signer.js';

export interface WebhookDeliveryOptions {
  /** Extra copies of every webhook (Plaid may deliver one more than once). 0 by default. */
  duplicates?: number;
  /** Hold webhooks until `flushWebhooks()`, then deliver them newest first. */
  reorder?: boolean;
}

/** One delivery attempt, kept so tests can see what was sent and what the receiver said. */
export interface WebhookDelivery {
  url: string;
  itemId: string;
  code: string;
  body: string;
  headers: Record<string, string>;
  /** The receiver's HTTP status, or null when it could not be reached. */
  status: number | null;
  error: string | null;
}

export interface WebhookDispatcher {
  send(url: string, itemId: string, payload: Record<string, unknown>): Promise<void>;
  flush(): Promise<void>;
  configure(options: WebhookDeliveryOptions): void;
  readonly deliveries: readonly WebhookDelivery[];
}

type Prepared = Omit<WebhookDelivery, 'status' | 'error'>;

export function createWebhookDispatcher(
  signer: WebhookSigner,
  initial: WebhookDeliveryOptions = {},
): WebhookDispatcher {
  let options: WebhookDeliveryOptions = { ...initial };
  const held: Prepared[] = [];
  const deliveries: WebhookDelivery[] = [];

  const deliver = async (prepared: Prepared): Promise<void> => {
    const copies = 1 + Math.max(0, options.duplicates ?? 0);
    for (let i = 0; i < copies; i++) {
      try {
        const response = await fetch(prepared.url, {
          method: 'POST',
          headers: prepared.headers,
          body: prepared.body,
          signal: AbortSignal.timeout(10_000),
        });
        // Drain the body so the connection is released.
        await response.arrayBuffer();
        deliveries.push({ ...prepared, status: response.status, error: null });
      } catch (error) {
        // Plaid does not fail an API call because a webhook could not be delivered.
        deliveries.push({
          ...prepared,
          status: null,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
  };

  return {
    async send(url, itemId, payload) {
      // Plaid's bodies are pretty-printed; verifiers must hash the raw bytes, not re-serialize.
      const body = JSON.stringify(payload, null, 2);
      const headers = {
        'content-type': 'application/json',
        'plaid-verification': await signer.sign(body),
      };
      const prepared = { url, itemId, code: String(payload.webhook_code), body, headers };
      if (options.reorder) held.push(prepared);
      else await deliver(prepared);
    },
    async flush() {
      const batch = held.splice(0).reverse();
      for (const prepared of batch) await deliver(prepared);
    },
    configure(next) {
      options = { ...options, ...next };
    },
    deliveries,
  };
}
