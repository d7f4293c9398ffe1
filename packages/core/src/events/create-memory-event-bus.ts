import { EventEmitter } from 'eventemitter3';
import type { EventBus } from '../ports/event-bus.js';
import type { FinkitEvent, FinkitEventType } from '../schemas/event.js';

export interface MemoryEventBusOptions {
  /** Receives what a subscriber threw (or rejected with). Defaults to `console.error`. */
  onError?: (error: unknown, event: FinkitEvent) => void;
}

type AnyHandler = (event: FinkitEvent) => void;

/**
 * An in-process `EventBus`: delivery is synchronous inside `publish`, type subscribers before
 * `*` subscribers, each in subscription order. Events never leave the process.
 */
export function createMemoryEventBus(options: MemoryEventBusOptions = {}): EventBus {
  const onError =
    options.onError ??
    ((error: unknown, event: FinkitEvent) =>
      console.error(`finkit: a ${event.type} subscriber failed`, error));
  const emitter = new EventEmitter<Record<string, [FinkitEvent]>>();
  let closed = false;

  function subscribe<T extends FinkitEventType>(
    type: T,
    handler: (event: FinkitEvent<T>) => void,
  ): () => void;
  function subscribe(type: '*', handler: (event: FinkitEvent) => void): () => void;
  function subscribe(type: FinkitEventType | '*', handler: AnyHandler): () => void {
    if (closed) return () => {};
    // eventemitter3 stops at the first listener that throws; isolate each one so others still run.
    const isolated: AnyHandler = (event) => {
      try {
        const result: unknown = handler(event);
        if (result instanceof Promise) result.catch((error: unknown) => onError(error, event));
      } catch (error) {
        onError(error, event);
      }
    };
    emitter.on(type, isolated);
    return () => {
      emitter.off(type, isolated);
    };
  }

  return {
    capabilities: { crossProcess: false },
    async publish(event) {
      if (closed) return;
      emitter.emit(event.type, event);
      emitter.emit('*', event);
    },
    subscribe,
    async close() {
      closed = true;
      emitter.removeAllListeners();
    },
  };
}
