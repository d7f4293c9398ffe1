import type { Finkit, FinkitEvent } from '@finkit/core';

/** One event as a client sees it: numbered, without the user id (the client is the user). */
export interface NumberedEvent {
  id: number;
  type: FinkitEvent['type'];
  at: string;
  data: FinkitEvent['data'];
}

export interface EventHubSubscription {
  /** True when events after `lastEventId` were dropped from the buffer (or the server restarted). */
  missed: boolean;
  unsubscribe(): void;
}

export interface FinkitEventHub {
  /**
   * Calls `listener` with the user's buffered events after `lastEventId` (in order), then with
   * each new one as it is published. Without `lastEventId`, only new events.
   */
  subscribe(
    userId: string,
    lastEventId: number | null,
    listener: (event: NumberedEvent) => void,
  ): EventHubSubscription;
  /** The id the next event will get minus one; 0 before any event. */
  readonly lastId: number;
  close(): void;
}

export interface FinkitEventHubOptions {
  /** Recent events kept per user for resuming. Default 256. */
  bufferSize?: number;
  /** Users whose buffers are kept; the least recently active are dropped first. Default 10,000. */
  maxUsers?: number;
}

/**
 * Numbers every event finkit publishes and keeps a bounded ring of each user's recent ones, so a
 * client that reconnects with the last id it saw gets what it missed. Ids grow monotonically in
 * this process; after a restart a client's id is ahead of them and the hub reports `missed`.
 */
export function createFinkitEventHub(finkit: Finkit, options: FinkitEventHubOptions = {}): FinkitEventHub {
  const bufferSize = Math.max(1, options.bufferSize ?? 256);
  const maxUsers = Math.max(1, options.maxUsers ?? 10_000);
  // Map iteration order is insertion order: re-inserting on activity makes it an LRU.
  const buffers = new Map<string, { events: NumberedEvent[]; droppedThrough: number }>();
  // A user whose buffer was evicted may have missed anything up to here.
  let evictedThrough = 0;
  const listeners = new Map<string, Set<(event: NumberedEvent) => void>>();
  let lastId = 0;

  const unsubscribeBus = finkit.events.subscribe('*', (event) => {
    lastId += 1;
    const numbered: NumberedEvent = { id: lastId, type: event.type, at: event.at, data: event.data };
    const buffer = buffers.get(event.userId) ?? { events: [], droppedThrough: 0 };
    buffers.delete(event.userId);
    buffer.events.push(numbered);
    if (buffer.events.length > bufferSize) {
      const dropped = buffer.events.splice(0, buffer.events.length - bufferSize);
      buffer.droppedThrough = dropped[dropped.length - 1]?.id ?? buffer.droppedThrough;
    }
    buffers.set(event.userId, buffer);
    if (buffers.size > maxUsers) {
      const oldest = buffers.keys().next().value;
      if (oldest !== undefined) {
        buffers.delete(oldest);
        evictedThrough = lastId;
      }
    }
    for (const listener of listeners.get(event.userId) ?? []) {
      try {
        listener(numbered);
      } catch {
        // One broken connection must not stop delivery to the others.
      }
    }
  });

  return {
    subscribe(userId, lastEventId, listener) {
      const buffer = buffers.get(userId);
      let missed = false;
      if (lastEventId !== null) {
        const droppedThrough = buffer ? buffer.droppedThrough : evictedThrough;
        missed = lastEventId > lastId || lastEventId < droppedThrough;
        for (const event of buffer?.events ?? []) if (event.id > lastEventId) listener(event);
      }
      const set = listeners.get(userId) ?? new Set();
      set.add(listener);
      listeners.set(userId, set);
      return {
        missed,
        unsubscribe() {
          set.delete(listener);
          if (set.size === 0 && listeners.get(userId) === set) listeners.delete(userId);
        },
      };
    },
    get lastId() {
      return lastId;
    },
    close() {
      unsubscribeBus();
      listeners.clear();
      buffers.clear();
    },
  };
}
