import { buildWebhookPayload, type SandboxWebhookCode } from './build-webhook-payload.js';
import { addDays } from './calendar-date.js';
import { createPrng, deriveSeed, type Prng } from './create-prng.js';
import { createSandboxItem, type SandboxItem } from './create-sandbox-item.js';
import type { WebhookDispatcher } from './create-webhook-dispatcher.js';
import { sandboxCredentials, sandboxInstitutions } from './sandbox-catalog.js';
import { invalidAccessToken, sandboxError } from './sandbox-plaid-error.js';

export interface PublicTokenOptions {
  webhook?: string;
  daysRequested?: number;
  username?: string;
  password?: string;
}

/** Everything the sandbox knows: its clock, items and tokens. The HTTP layer is separate. */
export interface SandboxState {
  today(): string;
  /** Wall-clock time, for signatures and token expirations (never for generated data). */
  now(): Date;
  readonly items: ReadonlyMap<string, SandboxItem>;
  requestId(): string;
  opaqueToken(prefix: string): string;
  createPublicToken(institutionId: string, options?: PublicTokenOptions): string;
  exchangePublicToken(publicToken: string): SandboxItem;
  /** The live item for an access token; throws Plaid's INVALID_ACCESS_TOKEN otherwise. */
  itemByAccessToken(accessToken: string): SandboxItem;
  item(itemId: string): SandboxItem;
  advance(days: number): Promise<void>;
  sendWebhook(item: SandboxItem, code: SandboxWebhookCode): Promise<void>;
}

export function createSandboxState(options: {
  seed: number;
  startDate: string;
  historyDays: number;
  webhookUrl: string | null;
  dispatcher: WebhookDispatcher;
}): SandboxState {
  let today = options.startDate;
  // Separate streams, so that e.g. the number of requests never changes an item's data.
  const tokenRng: Prng = createPrng(deriveSeed(options.seed, 0));
  const requestRng: Prng = createPrng(deriveSeed(options.seed, 1));
  let itemCount = 0;
  const items = new Map<string, SandboxItem>();
  const byAccessToken = new Map<string, SandboxItem>();
  const publicTokens = new Map<string, { item: SandboxItem; used: boolean }>();

  const hex = '0123456789abcdef';
  const uuid = (): string =>
    `${tokenRng.id(8, hex)}-${tokenRng.id(4, hex)}-${tokenRng.id(4, hex)}-${tokenRng.id(4, hex)}-${tokenRng.id(12, hex)}`;

  const state: SandboxState = {
    today: () => today,
    now: () => new Date(),
    items,
    requestId: () => requestRng.id(15),
    opaqueToken: (prefix) => `${prefix}-sandbox-${uuid()}`,
    createPublicToken(institutionId, tokenOptions = {}) {
      const institution = sandboxInstitutions.find((i) => i.institutionId === institutionId);
      if (!institution) {
        throw sandboxError(
          400,
          'INVALID_INPUT',
          'INVALID_INSTITUTION',
          `invalid institution_id provided: ${institutionId}`,
        );
      }
      const username = tokenOptions.username ?? sandboxCredentials.username;
      const password = tokenOptions.password ?? sandboxCredentials.password;
      if (username !== sandboxCredentials.username || password !== sandboxCredentials.password) {
        throw sandboxError(
          400,
          'ITEM_ERROR',
          'INVALID_CREDENTIALS',
          'the provided credentials were not correct',
          'The provided credentials were not correct. Please try again.',
        );
      }
      itemCount++;
      const item = createSandboxItem({
        rng: createPrng(deriveSeed(options.seed, 100 + itemCount)),
        institutionId: institution.institutionId,
        institutionName: institution.name,
        today,
        historyDays: options.historyDays,
        webhook: tokenOptions.webhook ?? options.webhookUrl,
        daysRequested: tokenOptions.daysRequested ?? null,
      });
      items.set(item.itemId, item);
      byAccessToken.set(item.accessToken, item);
      const publicToken = state.opaqueToken('public');
      publicTokens.set(publicToken, { item, used: false });
      return publicToken;
    },
    exchangePublicToken(publicToken) {
      const entry = publicTokens.get(publicToken);
      if (!entry || entry.used) {
        throw sandboxError(
          400,
          'INVALID_INPUT',
          'INVALID_PUBLIC_TOKEN',
          'provided public token is expired or has already been exchanged',
        );
      }
      entry.used = true;
      return entry.item;
    },
    itemByAccessToken(accessToken) {
      const item = byAccessToken.get(accessToken);
      if (!item || item.removed) throw invalidAccessToken();
      return item;
    },
    item(itemId) {
      const item = items.get(itemId);
      if (!item) throw new Error(`unknown sandbox item ${itemId}`);
      return item;
    },
    async advance(days) {
      if (!Number.isInteger(days) || days < 0)
        throw new Error(`advance(days) needs a non-negative integer, got ${days}`);
      const changed = new Set<SandboxItem>();
      for (let i = 0; i < days; i++) {
        today = addDays(today, 1);
        for (const item of items.values()) {
          if (!item.removed && item.simulateDay(today) > 0) changed.add(item);
        }
      }
      for (const item of changed) {
        if (item.error === null) await state.sendWebhook(item, 'SYNC_UPDATES_AVAILABLE');
      }
    },
    async sendWebhook(item, code) {
      if (!item.webhook) return;
      await options.dispatcher.send(item.webhook, item.itemId, buildWebhookPayload(item, code, state.now()));
    },
  };
  return state;
}
