/**
 * An offline Plaid-compatible server for tests, demos and your own CI (`startPlaidSandbox`).
 *
 * @packageDocumentation
 * @module \@finkit/plaid/sandbox
 */
export type { SandboxWebhookCode } from './build-webhook-payload.js';
export type { PublicTokenOptions } from './create-sandbox-state.js';
export type { WebhookDelivery, WebhookDeliveryOptions } from './create-webhook-dispatcher.js';
export type { WebhookVerificationKeyJson } from './create-webhook-signer.js';
export type { PlaidAccountJson, PlaidTransactionJson } from './render-plaid-json.js';
export { sandboxCredentials, sandboxInstitutions } from './sandbox-catalog.js';
export {
  type PlaidSandbox,
  type SandboxFault,
  type SandboxFaultKind,
  type SandboxItemSummary,
  type SandboxRequest,
  type StartPlaidSandboxOptions,
  startPlaidSandbox,
} from './start-plaid-sandbox.js';
