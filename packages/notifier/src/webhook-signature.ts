import { createHmac, timingSafeEqual } from 'node:crypto';
import { FinkitError } from '@finkit/core';

/** The `Finkit-Signature` header value: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`. */
export function signWebhook(secret: string, rawBody: string, at: Date): string {
  const timestamp = Math.floor(at.getTime() / 1000);
  return `t=${timestamp},v1=${hmac(secret, timestamp, rawBody)}`;
}

const hmac = (secret: string, timestamp: number, rawBody: string): string =>
  createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex');

/**
 * For receivers of finkit's webhooks: checks a `Finkit-Signature` header against the raw body
 * exactly as received. Any `v1` entry may match (several appear while a secret is rotated). The
 * timestamp is signed too, so a replay older than `toleranceSec` (default 300) is refused.
 * @throws WEBHOOK_VERIFICATION when the header is malformed, the signature wrong or the timestamp stale.
 */
export function verifyWebhookSignature(
  secret: string,
  header: string | null | undefined,
  rawBody: string,
  options: { toleranceSec?: number; now?: Date } = {},
): { timestamp: number } {
  const fail = (reason: string) =>
    new FinkitError('WEBHOOK_VERIFICATION', `Webhook signature rejected: ${reason}`);
  if (header === null || header === undefined || header === '') throw fail('no signature header');
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && value !== undefined && /^\d+$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && value !== undefined) signatures.push(value);
  }
  if (timestamp === undefined || signatures.length === 0) throw fail('malformed header');
  const nowSec = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowSec - timestamp) > (options.toleranceSec ?? 300))
    throw fail('timestamp outside the tolerance');
  const expected = Buffer.from(hmac(secret, timestamp, rawBody), 'hex');
  const matches = signatures.some((signature) => {
    const given = Buffer.from(signature, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!matches) throw fail('signature mismatch');
  return { timestamp };
}
