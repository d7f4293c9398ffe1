import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { deliveryFailure, httpFailure } from '../delivery-failure.js';
import { signWebhook } from '../webhook-signature.js';
import type { DeliveryChannel } from './delivery-channel.js';

export interface WebhookChannelOptions {
  /** The app's endpoint that receives every notification; parsed here, so a malformed one throws at setup. */
  url: string;
  /** Shared with the receiver, which checks the signature with `verifyWebhookSignature`. */
  secret: string;
  timeoutMs?: number;
  /** Requests open at once to the receiver; more wait for a free socket. Default 16. */
  maxSockets?: number;
  now?: () => Date;
}

/** The parts of an answer that `httpFailure` reads, as a WHATWG Response. */
const toResponse = (answer: IncomingMessage, body: Buffer): Response => {
  const headers = new Headers();
  for (const [name, value] of Object.entries(answer.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return new Response(body.length > 0 ? new Uint8Array(body) : null, {
    status: answer.statusCode ?? 500,
    headers,
  });
};

/**
 * Posts each notification as JSON to the app, signed (`Finkit-Signature`) and carrying the
 * idempotency key as `Idempotency-Key` and the body's `id`, so a receiver can drop the repeat that
 * follows a crash between sending and recording.
 */
export function createWebhookChannel(options: WebhookChannelOptions): DeliveryChannel {
  const now = options.now ?? (() => new Date());
  const url = new URL(options.url);
  const secure = url.protocol === 'https:';
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 16 };
  const agent = secure ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
  const timeoutMs = options.timeoutMs ?? 15_000;
  const post = (rawBody: string, headers: Record<string, string>): Promise<[IncomingMessage, Buffer]> =>
    new Promise((resolve, reject) => {
      const req = (secure ? httpsRequest : httpRequest)(
        url,
        { method: 'POST', agent, headers, signal: AbortSignal.timeout(timeoutMs) },
        (answer) => {
          const chunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => chunks.push(chunk));
          answer.on('end', () => resolve([answer, Buffer.concat(chunks)]));
          answer.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(rawBody);
    });
  return {
    kind: 'webhook',
    async reaches(_recipient) {
      return true;
    },
    async deliver({ notification, idempotencyKey }) {
      const at = now();
      const rawBody = JSON.stringify({
        id: idempotencyKey,
        type: notification.type,
        userId: notification.userId,
        dedupeKey: notification.dedupeKey,
        title: notification.title,
        body: notification.body,
        data: notification.data,
        sentAt: at.toISOString(),
      });
      // node:http over a keep-alive agent rather than fetch: undici's per-request stream machinery
      // cost ~2.5 ms of CPU per webhook in bench/notifier.ts, which capped the channel near 400/s.
      let status: number;
      let answer: IncomingMessage;
      let body: Buffer;
      try {
        [answer, body] = await post(rawBody, {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(rawBody)),
          'idempotency-key': idempotencyKey,
          'finkit-signature': signWebhook(options.secret, rawBody, at),
        });
        status = answer.statusCode ?? 0;
      } catch (error) {
        throw deliveryFailure(`Webhook unreachable: ${(error as Error).message}`, {
          permanent: false,
          cause: error,
        });
      }
      if (status < 200 || status >= 300) {
        throw await httpFailure('Webhook receiver', toResponse(answer, body), at);
      }
    },
    async close() {
      agent.destroy();
    },
  };
}
