import { isSandboxWebhookCode, webhookTypeByCode } from './build-webhook-payload.js';
import { isCalendarDate } from './calendar-date.js';
import { defaultDaysRequested, type SandboxItem } from './create-sandbox-item.js';
import type { SandboxState } from './create-sandbox-state.js';
import type { WebhookSigner } from './create-webhook-signer.js';
import {
  optionalInteger,
  optionalObject,
  optionalString,
  optionalStringArray,
  type RequestBody,
  requiredString,
} from './read-request-field.js';
import { readSyncPage } from './read-sync-page.js';
import { renderAccounts, renderItem, renderTransaction } from './render-plaid-json.js';
import { sandboxInstitutions } from './sandbox-catalog.js';
import { itemLoginRequired, SandboxPlaidError, sandboxError } from './sandbox-plaid-error.js';

export type SandboxRoute = (body: RequestBody) => Promise<Record<string, unknown>> | Record<string, unknown>;

const maxDaysRequested = 730;

/** Data endpoints fail while the item has an error, as Plaid's do; `/item/get` reports it instead. */
function usableItem(state: SandboxState, body: RequestBody): SandboxItem {
  const item = state.itemByAccessToken(requiredString(body, 'access_token'));
  if (item.error) throw new SandboxPlaidError(400, item.error);
  return item;
}

/** The first transactions request fixes the history window, like Plaid's `days_requested`. */
function fixHistoryWindow(item: SandboxItem, options: RequestBody): void {
  const requested = optionalInteger(options, 'days_requested', 1, maxDaysRequested);
  if (item.daysRequested === null) item.daysRequested = requested ?? defaultDaysRequested;
}

export function createSandboxRoutes(
  state: SandboxState,
  signer: WebhookSigner,
): Record<string, SandboxRoute> {
  return {
    '/link/token/create': (body) => {
      requiredString(body, 'client_name');
      requiredString(body, 'language');
      const countryCodes = optionalStringArray(body, 'country_codes');
      if (!countryCodes || countryCodes.length === 0) {
        throw sandboxError(
          400,
          'INVALID_REQUEST',
          'MISSING_FIELDS',
          'the following required fields are missing: country_codes',
        );
      }
      const user = optionalObject(body, 'user');
      if (!optionalString(user, 'client_user_id') && !optionalString(body, 'user_id')) {
        throw sandboxError(
          400,
          'INVALID_REQUEST',
          'MISSING_FIELDS',
          'the following required fields are missing: user.client_user_id',
        );
      }
      const accessToken = optionalString(body, 'access_token');
      if (accessToken) state.itemByAccessToken(accessToken);
      optionalInteger(optionalObject(body, 'transactions'), 'days_requested', 1, maxDaysRequested);
      return {
        link_token: state.opaqueToken('link'),
        expiration: new Date(state.now().getTime() + 4 * 3_600_000).toISOString(),
      };
    },

    '/sandbox/public_token/create': (body) => {
      const institutionId = requiredString(body, 'institution_id');
      const options = optionalObject(body, 'options');
      const transactions = optionalObject(options, 'transactions');
      const publicToken = state.createPublicToken(institutionId, {
        webhook: optionalString(options, 'webhook'),
        daysRequested: optionalInteger(transactions, 'days_requested', 1, maxDaysRequested),
        username: optionalString(options, 'override_username'),
        password: optionalString(options, 'override_password'),
      });
      return { public_token: publicToken };
    },

    '/item/public_token/exchange': (body) => {
      const item = state.exchangePublicToken(requiredString(body, 'public_token'));
      return { access_token: item.accessToken, item_id: item.itemId };
    },

    '/item/get': (body) => {
      const item = state.itemByAccessToken(requiredString(body, 'access_token'));
      return {
        item: renderItem(item),
        status: {
          transactions: { last_successful_update: `${state.today()}T00:00:00Z`, last_failed_update: null },
          last_webhook: null,
        },
      };
    },

    '/item/remove': (body) => {
      const item = state.itemByAccessToken(requiredString(body, 'access_token'));
      item.removed = true;
      return {};
    },

    '/item/webhook/update': (body) => {
      const item = state.itemByAccessToken(requiredString(body, 'access_token'));
      item.webhook = optionalString(body, 'webhook') ?? null;
      return { item: renderItem(item) };
    },

    '/accounts/get': (body) => {
      const item = usableItem(state, body);
      const ids = optionalStringArray(optionalObject(body, 'options'), 'account_ids');
      return { accounts: renderAccounts(item, ids), item: renderItem(item) };
    },

    '/accounts/balance/get': (body) => {
      const item = usableItem(state, body);
      const ids = optionalStringArray(optionalObject(body, 'options'), 'account_ids');
      return { accounts: renderAccounts(item, ids), item: renderItem(item) };
    },

    '/transactions/sync': (body) => {
      const item = usableItem(state, body);
      const cursor = optionalString(body, 'cursor') ?? '';
      const count = optionalInteger(body, 'count', 1, 500) ?? 100;
      fixHistoryWindow(item, optionalObject(body, 'options'));
      const page = readSyncPage(item, cursor, count);
      return {
        added: page.added.map(renderTransaction),
        modified: page.modified.map(renderTransaction),
        removed: page.removed.map((r) => ({ transaction_id: r.transactionId, account_id: r.accountId })),
        next_cursor: page.nextCursor,
        has_more: page.hasMore,
        accounts: renderAccounts(item),
        transactions_update_status: 'HISTORICAL_UPDATE_COMPLETE',
      };
    },

    '/transactions/get': (body) => {
      const item = usableItem(state, body);
      const startDate = requiredString(body, 'start_date');
      const endDate = requiredString(body, 'end_date');
      if (!isCalendarDate(startDate) || !isCalendarDate(endDate) || startDate > endDate) {
        throw sandboxError(
          400,
          'INVALID_REQUEST',
          'INVALID_FIELD',
          'start_date and end_date must be YYYY-MM-DD with start_date <= end_date',
        );
      }
      const options = optionalObject(body, 'options');
      fixHistoryWindow(item, options);
      const count = optionalInteger(options, 'count', 1, 500) ?? 100;
      const offset = optionalInteger(options, 'offset', 0, Number.MAX_SAFE_INTEGER) ?? 0;
      const accountIds = optionalStringArray(options, 'account_ids');
      const matching = item
        .truth()
        .filter(
          (t) =>
            t.date >= startDate && t.date <= endDate && (!accountIds || accountIds.includes(t.accountId)),
        )
        // Plaid lists newest first.
        .reverse();
      return {
        accounts: renderAccounts(item, accountIds),
        transactions: matching.slice(offset, offset + count).map(renderTransaction),
        total_transactions: matching.length,
        item: renderItem(item),
      };
    },

    '/transactions/refresh': (body) => {
      usableItem(state, body);
      return {};
    },

    '/webhook_verification_key/get': (body) => {
      const kid = requiredString(body, 'key_id');
      const key = signer.key(kid);
      if (!key) {
        throw sandboxError(
          400,
          'INVALID_INPUT',
          'INVALID_WEBHOOK_VERIFICATION_KEY_ID',
          'invalid key_id provided',
        );
      }
      return { key };
    },

    '/sandbox/item/fire_webhook': async (body) => {
      const item = state.itemByAccessToken(requiredString(body, 'access_token'));
      const code = requiredString(body, 'webhook_code');
      const type = optionalString(body, 'webhook_type');
      if (!isSandboxWebhookCode(code) || (type !== undefined && webhookTypeByCode[code] !== type)) {
        throw sandboxError(
          400,
          'INVALID_REQUEST',
          'INVALID_FIELD',
          `webhook_code ${code} is not supported by the sandbox`,
        );
      }
      if (!item.webhook) {
        throw sandboxError(400, 'INVALID_INPUT', 'INVALID_FIELD', 'the item has no webhook URL set');
      }
      await state.sendWebhook(item, code);
      return { webhook_fired: true };
    },

    '/sandbox/item/reset_login': (body) => {
      const item = state.itemByAccessToken(requiredString(body, 'access_token'));
      item.error = itemLoginRequired().body;
      return { reset_login: true };
    },

    '/institutions/get_by_id': (body) => {
      const institutionId = requiredString(body, 'institution_id');
      const institution = sandboxInstitutions.find((i) => i.institutionId === institutionId);
      if (!institution) {
        throw sandboxError(
          400,
          'INVALID_INPUT',
          'INVALID_INSTITUTION',
          `invalid institution_id provided: ${institutionId}`,
        );
      }
      return {
        institution: {
          institution_id: institution.institutionId,
          name: institution.name,
          products: ['assets', 'auth', 'balance', 'identity', 'transactions'],
          country_codes: ['US'],
          routing_numbers: [],
          dtc_numbers: [],
          oauth: false,
          status: null,
          url: null,
          primary_color: null,
          logo: null,
        },
      };
    },
  };
}
