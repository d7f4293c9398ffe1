import type { SandboxItem } from './create-sandbox-item.js';

/** Webhook codes the sandbox can send, with the `webhook_type` Plaid sends each under. */
export const webhookTypeByCode = {
  SYNC_UPDATES_AVAILABLE: 'TRANSACTIONS',
  DEFAULT_UPDATE: 'TRANSACTIONS',
  INITIAL_UPDATE: 'TRANSACTIONS',
  HISTORICAL_UPDATE: 'TRANSACTIONS',
  TRANSACTIONS_REMOVED: 'TRANSACTIONS',
  ERROR: 'ITEM',
  PENDING_EXPIRATION: 'ITEM',
  PENDING_DISCONNECT: 'ITEM',
  USER_PERMISSION_REVOKED: 'ITEM',
  LOGIN_REPAIRED: 'ITEM',
  NEW_ACCOUNTS_AVAILABLE: 'ITEM',
} as const;

export type SandboxWebhookCode = keyof typeof webhookTypeByCode;

export function isSandboxWebhookCode(code: string): code is SandboxWebhookCode {
  return Object.hasOwn(webhookTypeByCode, code);
}

/** The JSON body Plaid sends for `code` about `item`. */
export function buildWebhookPayload(
  item: SandboxItem,
  code: SandboxWebhookCode,
  now: Date,
): Record<string, unknown> {
  const base = { webhook_type: webhookTypeByCode[code], webhook_code: code, item_id: item.itemId };
  switch (code) {
    case 'SYNC_UPDATES_AVAILABLE':
      return {
        ...base,
        initial_update_complete: true,
        historical_update_complete: true,
        environment: 'sandbox',
      };
    case 'DEFAULT_UPDATE':
    case 'INITIAL_UPDATE':
    case 'HISTORICAL_UPDATE':
      return { ...base, error: null, new_transactions: 0, environment: 'sandbox' };
    case 'TRANSACTIONS_REMOVED':
      return { ...base, error: null, removed_transactions: [], environment: 'sandbox' };
    case 'ERROR':
      return {
        ...base,
        error: {
          error_type: 'ITEM_ERROR',
          error_code: item.error?.error_code ?? 'ITEM_LOGIN_REQUIRED',
          error_message: item.error?.error_message ?? 'the login details of this item have changed',
          display_message: item.error?.display_message ?? null,
          request_id: '',
          causes: [],
          status: 400,
        },
        environment: 'sandbox',
      };
    case 'PENDING_EXPIRATION':
      return {
        ...base,
        consent_expiration_time: new Date(now.getTime() + 7 * 86_400_000).toISOString(),
        environment: 'sandbox',
      };
    case 'PENDING_DISCONNECT':
      return { ...base, reason: 'INSTITUTION_MIGRATION', environment: 'sandbox' };
    case 'USER_PERMISSION_REVOKED':
      return {
        ...base,
        error: {
          error_type: 'ITEM_ERROR',
          error_code: 'USER_PERMISSION_REVOKED',
          error_message:
            'the holder of this account has revoked their permission for your application to access it',
          display_message: null,
          request_id: '',
          causes: [],
          status: 400,
        },
        environment: 'sandbox',
      };
    case 'LOGIN_REPAIRED':
    case 'NEW_ACCOUNTS_AVAILABLE':
      return { ...base, environment: 'sandbox' };
  }
}
