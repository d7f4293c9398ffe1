/**
 * `createFinkitApp()`: the REST API, WebSocket, OpenAPI document, auth hook and error mapping
 * as a Hono app.
 *
 * @packageDocumentation
 * @module \@finkit/adapter-hono
 */
export { type BearerJwtOptions, bearerJwtAuthenticate, bearerToken } from './bearer-jwt-authenticate.js';
export { type CorsOptions, createFinkitApp, type FinkitAppOptions } from './create-finkit-app.js';
export {
  createFinkitEventHub,
  type EventHubSubscription,
  type FinkitEventHub,
  type FinkitEventHubOptions,
  type NumberedEvent,
} from './create-finkit-event-hub.js';
export {
  createFinkitWebSocket,
  type FinkitWebSocket,
  type FinkitWebSocketOptions,
  type UpgradeWebSocketFn,
} from './create-finkit-web-socket.js';
export { type ErrorBody, errorBody, toFinkitError } from './error-body.js';
export type { FinkitEnv } from './finkit-env.js';
export { type RateLimitOptions, rateLimit } from './rate-limit.js';
export { type Authenticate, requireUser } from './require-user.js';
export { csvCell } from './transactions-csv.js';
