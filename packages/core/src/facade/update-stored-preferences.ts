import { FinkitError } from '../errors/finkit-error.js';
import type { NotificationPreferencesRepository } from '../ports/store.js';
import {
  mergeStoredPreferences,
  type NotificationPreferencesPatch,
  type NotificationPreferencesUpdate,
  notificationPreferencesUpdateSchema,
  resolveNotificationPreferences,
  type UserNotificationPreferences,
} from '../schemas/notification-preferences.js';
import { parseInput } from '../validation/parse-input.js';

/**
 * Re-reads after losing a race this many times before giving up with CONFLICT: each loss means
 * another write succeeded, so only a user whose preferences are written nonstop ever sees it.
 */
const attempts = 10;

const conflict = (userId: string, version: number): FinkitError<'CONFLICT'> =>
  new FinkitError(
    'CONFLICT',
    `Notification preferences of ${userId} changed since they were read (now version ${version}); read them again`,
    { details: { version } },
  );

/**
 * A store adapter written for an earlier finkit answered `get` with the bare document. Merging over
 * its `.json` (undefined) would start from nothing and erase the user's choices, so it is refused.
 */
function assertStoredShape(stored: unknown): asserts stored is { json: string; version: number } | null {
  if (stored === null) return;
  const { json, version } = (stored ?? {}) as { json?: unknown; version?: unknown };
  if (typeof json !== 'string' || !Number.isInteger(version)) {
    throw new FinkitError(
      'INTERNAL',
      'The store answered notificationPreferences.get without { json, version }: its adapter predates preference versions',
    );
  }
}

/**
 * Applies a validated patch to the user's stored choices with a compare-and-set, so two updates at
 * once never lose one's fields. With `expectedVersion` (what the caller read) it writes only over
 * that version; without, it re-reads and retries when another write came first.
 * @throws CONFLICT (details.version: the current one) when `expectedVersion` is stale.
 */
export async function updateStoredPreferences(
  repository: NotificationPreferencesRepository,
  userId: string,
  patch: NotificationPreferencesPatch,
  expectedVersion?: number,
): Promise<{ json: string; version: number }> {
  for (let attempt = 1; ; attempt += 1) {
    const stored = await repository.get(userId);
    assertStoredShape(stored);
    const current = stored?.version ?? 0;
    if (expectedVersion !== undefined && expectedVersion !== current) throw conflict(userId, current);
    const json = mergeStoredPreferences(stored?.json ?? null, patch);
    const version = await repository.put(userId, json, current);
    if (version !== null) return { json, version };
    if (expectedVersion !== undefined || attempt >= attempts) {
      throw conflict(userId, (await repository.get(userId))?.version ?? 0);
    }
  }
}

/**
 * A user's update as `PUT /notifications/preferences` takes it: validated, written with
 * `updateStoredPreferences` (over `version` when given), and answered resolved over `defaults`.
 * @throws VALIDATION naming the bad field; CONFLICT when `version` is stale.
 */
export async function updateUserPreferences(
  repository: NotificationPreferencesRepository,
  userId: string,
  update: NotificationPreferencesUpdate,
  defaults: UserNotificationPreferences,
): Promise<UserNotificationPreferences & { version: number }> {
  const { version: expected, ...patch } = parseInput(
    notificationPreferencesUpdateSchema,
    update,
    'notification preferences',
  );
  const written = await updateStoredPreferences(repository, userId, patch, expected);
  return { ...resolveNotificationPreferences(written.json, defaults), version: written.version };
}
