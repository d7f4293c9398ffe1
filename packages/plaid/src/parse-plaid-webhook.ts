import { FinkitError, type ProviderWebhook } from '@finkit/core';

const invalid = (why: string) => new FinkitError('WEBHOOK_VERIFICATION', `Not a Plaid webhook: ${why}`);

const stringField = (value: unknown): string | null =>
  typeof value === 'string' && value !== '' ? value : null;

/** Reads a verified webhook body into what it asks finkit to do. */
export function parsePlaidWebhook(rawBody: string): ProviderWebhook {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody);
  } catch {
    throw invalid('the body is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw invalid('the body is not an object');
  const body = parsed as Record<string, unknown>;
  const type = stringField(body.webhook_type);
  const code = stringField(body.webhook_code);
  if (!type || !code) throw invalid('webhook_type or webhook_code is missing');
  const itemId = stringField(body.item_id);
  const needItem = (): string => {
    if (!itemId) throw invalid(`${type} ${code} has no item_id`);
    return itemId;
  };

  if (type === 'TRANSACTIONS' && code === 'SYNC_UPDATES_AVAILABLE') {
    return { kind: 'sync_updates_available', itemId: needItem() };
  }
  if (type === 'ITEM') {
    switch (code) {
      case 'ERROR': {
        const error = (typeof body.error === 'object' && body.error !== null ? body.error : {}) as Record<
          string,
          unknown
        >;
        return {
          kind: 'item_error',
          itemId: needItem(),
          code: stringField(error.error_code) ?? 'UNKNOWN',
          message: stringField(error.error_message) ?? '',
        };
      }
      case 'PENDING_EXPIRATION':
        return {
          kind: 'pending_expiration',
          itemId: needItem(),
          expiresAt: stringField(body.consent_expiration_time),
        };
      // Plaid's newer notice that the item will stop working soon; the same action is needed.
      case 'PENDING_DISCONNECT':
        return { kind: 'pending_expiration', itemId: needItem(), expiresAt: null };
      case 'USER_PERMISSION_REVOKED':
      case 'USER_ACCOUNT_REVOKED':
        return { kind: 'user_permission_revoked', itemId: needItem() };
      case 'LOGIN_REPAIRED':
        return { kind: 'login_repaired', itemId: needItem() };
    }
  }
  // Everything else (the legacy /transactions/get webhooks among them) needs no action.
  return { kind: 'ignored', itemId, type, code };
}
