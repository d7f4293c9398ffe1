import { createHash } from 'node:crypto';
import type { NotificationChannel } from '@finkit/core';

/** Opaque and stable: the same user, dedupe key and channel always give the same key. */
export function idempotencyKey(userId: string, dedupeKey: string, channel: NotificationChannel): string {
  const digest = createHash('sha256').update(`${userId}\u0000${dedupeKey}\u0000${channel}`).digest('hex');
  return `fk_${digest.slice(0, 40)}`;
}
