/**
 * The `BankProvider` on the official `plaid` client, and Plaid webhook verification.
 *
 * @packageDocumentation
 * @module \@finkit/plaid
 */
export {
  createPlaidProvider,
  type PlaidProviderOptions,
} from './create-plaid-provider.js';
export {
  createPlaidWebhookVerifier,
  type PlaidWebhookKey,
  type PlaidWebhookVerifier,
  type PlaidWebhookVerifierOptions,
  type WebhookRejection,
} from './create-plaid-webhook-verifier.js';
export { mapPlaidAccount, type PlaidAccountLike } from './map-plaid-account.js';
export { mapPlaidCategory, type PlaidCategoryLike } from './map-plaid-category.js';
export { type MapPlaidErrorOptions, mapPlaidError } from './map-plaid-error.js';
export { mapPlaidTransaction, type PlaidTransactionLike } from './map-plaid-transaction.js';
export { parsePlaidWebhook } from './parse-plaid-webhook.js';
