import type { OutgoingNotification } from '@finkit/core';

/**
 * What the notifier stores with each delivery claim or hold, so that another process (or this
 * one after a restart) can send it: the notification, the caller's HTML when it gave one, and for
 * a digest item the time of the digest it belongs to. The recipient's addresses are not stored;
 * they are read from the preferences when the message is sent.
 */
export interface DeliveryPayload {
  notification: OutgoingNotification;
  html?: string;
  /** ISO time of the digest this item waits for; absent for anything else. */
  digestAt?: string;
}

/** The payload as the store keeps it (opaque text). */
export function encodeDeliveryPayload(payload: DeliveryPayload): string {
  return JSON.stringify({ v: 1, ...payload });
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The stored payload, or null when it is missing or not one this notifier wrote. */
export function decodeDeliveryPayload(text: string | null): DeliveryPayload | null {
  if (text === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(parsed) || parsed.v !== 1 || !isRecord(parsed.notification)) return null;
  const n = parsed.notification;
  const strings = ['userId', 'type', 'dedupeKey', 'title', 'body'] as const;
  if (!strings.every((field) => typeof n[field] === 'string') || !isRecord(n.data)) return null;
  if (parsed.html !== undefined && typeof parsed.html !== 'string') return null;
  if (parsed.digestAt !== undefined && Number.isNaN(Date.parse(String(parsed.digestAt)))) return null;
  return {
    notification: n as unknown as OutgoingNotification,
    ...(typeof parsed.html === 'string' ? { html: parsed.html } : {}),
    ...(parsed.digestAt !== undefined ? { digestAt: String(parsed.digestAt) } : {}),
  };
}
