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
  /** The id of the last event numbered; before any, the clock-based id this hub starts after. */
  readonly lastId: number;
  close(): void;
}

export interface FinkitEventHubOptions {
  /** Recent events kept per user for resuming. Default 256. */
  bufferSize?: number;
  /** Users whose buffers are kept; the least recently active are dropped first. Default 10,000. */
  maxUsers?: number;
}

// The highest id any hub in this process has used: a hub made later, even in the same
// millisecond, starts above it and so never vouches for an id an earlier hub handed out.
let highestIssuedId = 0;

/**
 * Ids start from the clock (microseconds since the epoch), so a restarted server numbers its
 * events above everything it numbered before: a client's id from before the restart is then
 * below this hub's first id and is reported as `missed`, instead of being taken for an id of this
 * hub and silently skipping this hub's first events. Stays below 2^53 until the year 2255.
 */
function firstIdBefore(): number {
  return Math.max(Date.now() * 1000, highestIssuedId + 1);
}

/**
 * Numbers every event finkit publishes and keeps a bounded ring of each user's recent ones, so a
 * client that reconnects with the last id it saw gets what it missed. Ids grow monotonically,
 * across restarts too; a client whose id this hub cannot vouch for (from before it started, ahead
 * of it, or dropped from the buffer) is told `missed` and should reload its data. Each server
 * instance numbers on its own, so a client resuming on another instance is told `missed` too.
 */
export function createFinkitEventHub(finkit: Finkit, options: FinkitEventHubOptions = {}): FinkitEventHub {
  const bufferSize = Math.max(1, options.bufferSize ?? 256);
  const maxUsers = Math.max(1, options.maxUsers ?? 10_000);
  // Map iteration order is insertion order: re-inserting on activity makes it an LRU.
  const buffers = new Map<string, { events: NumberedEvent[]; droppedThrough: number }>();
  let lastId = firstIdBefore();
  // A client cannot have seen every event up to here unless this hub sent it: anything older is
  // from before this hub started. Evicting a user's buffer moves it forward.
  let evictedThrough = lastId;
  const listeners = new Map<string, Set<(event: NumberedEvent) => void>>();

  const unsubscribeBus = finkit.events.subscribe('*', (event) => {
    lastId += 1;
    highestIssuedId = Math.max(highestIssuedId, lastId);
    const numbered: NumberedEvent = { id: lastId, type: event.type, at: event.at, data: event.data };
    const buffer = buffers.get(event.userId) ?? { events: [], droppedThrough: evictedThrough };
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
