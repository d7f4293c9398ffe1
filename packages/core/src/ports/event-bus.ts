import type { FinkitEvent, FinkitEventType } from '../schemas/event.js';

export interface EventBusCapabilities {
  /** True when events published in one process reach subscribers in others. */
  crossProcess: boolean;
}

/** Typed publish/subscribe. */
export interface EventBus {
  readonly capabilities: EventBusCapabilities;
  /**
   * Delivers to every current subscriber of the type and of `*`. Resolves once delivered locally
   * (and, for a cross-process bus, once handed to the transport). A subscriber that throws does
   * not stop delivery to the others.
   */
  publish(event: FinkitEvent): Promise<void>;
  /** Returns the function that unsubscribes. */
  subscribe<T extends FinkitEventType>(type: T, handler: (event: FinkitEvent<T>) => void): () => void;
  subscribe(type: '*', handler: (event: FinkitEvent) => void): () => void;
  /** Stops delivering and releases resources (connections, listeners). */
  close(): Promise<void>;
}
