import { z } from 'zod';
import { currencySchema } from './common.js';
import { notificationChannelSchema } from './notification.js';

/** Local wall-clock time `HH:MM` (24-hour) in the user's time zone. */
export type LocalTime = `${number}:${number}`;

// Typed as the template literal the notifier computes with; at runtime it is a plain regex-checked
// string, so it stays an ordinary string in JSON Schema and OpenAPI.
const localTimeSchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'Must be HH:MM, 24-hour' }) as unknown as z.ZodType<
  LocalTime,
  string
>;

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

function isLocale(value: string): boolean {
  try {
    return Intl.getCanonicalLocales(value).length === 1;
  } catch {
    return false;
  }
}

const typeName = z.string().min(1).max(100);

/** What each user decides about their notifications. Every field is required here; see `notificationPreferencesPatchSchema`. */
export const notificationPreferencesSchema = z
  .object({
    email: z.email().max(254).nullable(),
    /** E.164, e.g. `+14155550100`. */
    phone: z
      .string()
      .regex(/^\+[1-9]\d{6,14}$/, { message: 'Must be an E.164 number such as +14155550100' })
      .nullable(),
    /** BCP 47, for amounts and dates. */
    locale: z.string().min(2).max(35).refine(isLocale, { message: 'Must be a BCP 47 locale such as en-US' }),
    /** IANA zone; quiet hours and the digest time are read in it. */
    timeZone: z
      .string()
      .min(1)
      .max(64)
      .refine(isTimeZone, { message: 'Must be an IANA time zone such as Europe/Paris' }),
    /** ISO 4217; amounts without their own currency are shown in it. */
    currency: currencySchema,
    /** Channels per notification type; `*` for every other type. */
    channels: z.record(typeName, z.array(notificationChannelSchema).max(5)),
    /** Types the user never wants. */
    unsubscribed: z.array(typeName).max(100),
    /**
     * Email, SMS and push wait while it is quiet (`start` to `end`, may cross midnight) and go out
     * when it ends; in-app and webhooks are silent and go at once.
     */
    quietHours: z.object({ start: localTimeSchema, end: localTimeSchema }).strict().nullable(),
    /** These types are collected and sent once a day at `at` instead of immediately (in-app stays immediate). */
    digest: z
      .object({ types: z.array(typeName).max(100), at: localTimeSchema })
      .strict()
      .nullable(),
    /** Transactions at least this large (absolute minor units) get a notification; null: none. */
    largeTransactionThreshold: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullable(),
  })
  .strict();
export type UserNotificationPreferences = z.infer<typeof notificationPreferencesSchema>;

/** A partial update: the fields given replace the user's current ones (whole, `channels` too). */
export const notificationPreferencesPatchSchema = notificationPreferencesSchema.partial().strict();
export type NotificationPreferencesPatch = z.infer<typeof notificationPreferencesPatchSchema>;

const preferencesVersion = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/**
 * The preferences as read, with the version of the user's stored choices (0: none yet), which a
 * later update may name so it applies only over what was read.
 */
export const versionedNotificationPreferencesSchema = notificationPreferencesSchema.extend({
  version: preferencesVersion,
});
export type VersionedNotificationPreferences = z.infer<typeof versionedNotificationPreferencesSchema>;

/**
 * A partial update, optionally naming the `version` it was based on: then it is refused with
 * CONFLICT when another update came first. Without it, it applies over whatever is current.
 */
export const notificationPreferencesUpdateSchema = notificationPreferencesPatchSchema.extend({
  version: preferencesVersion.optional(),
});
export type NotificationPreferencesUpdate = z.infer<typeof notificationPreferencesUpdateSchema>;

/** What a user who changed nothing gets. */
export const defaultUserNotificationPreferences: UserNotificationPreferences = {
  email: null,
  phone: null,
  locale: 'en-US',
  timeZone: 'UTC',
  currency: 'USD',
  channels: { '*': ['in_app', 'email', 'push', 'webhook'] },
  unsubscribed: [],
  quietHours: null,
  digest: null,
  largeTransactionThreshold: null,
};

/**
 * The preferences a stored document (the user's own choices, as `NotificationPreferencesPatch`
 * JSON) gives over `defaults`. Read leniently: a field that no longer validates, or a document that
 * is not JSON, falls back to the default, so a stricter release never locks a user out.
 */
export function resolveNotificationPreferences(
  stored: string | null,
  defaults: UserNotificationPreferences = defaultUserNotificationPreferences,
): UserNotificationPreferences {
  return { ...structuredClone(defaults), ...parseStoredPreferences(stored) };
}

/** The user's own choices from a stored document, dropping fields that do not validate. */
export function parseStoredPreferences(stored: string | null): NotificationPreferencesPatch {
  if (stored === null) return {};
  let document: unknown;
  try {
    document = JSON.parse(stored);
  } catch {
    return {};
  }
  if (document === null || typeof document !== 'object' || Array.isArray(document)) return {};
  const own: Record<string, unknown> = {};
  const shape = notificationPreferencesSchema.shape;
  for (const [key, value] of Object.entries(document)) {
    if (!Object.hasOwn(shape, key)) continue;
    const parsed = shape[key as keyof typeof shape].safeParse(value);
    if (parsed.success) own[key] = parsed.data;
  }
  return own as NotificationPreferencesPatch;
}

/**
 * The stored document after applying `patch` (already validated) to it: the fields given replace
 * the user's own ones, the rest stay as stored (or keep following the defaults).
 */
export function mergeStoredPreferences(stored: string | null, patch: NotificationPreferencesPatch): string {
  const own: Record<string, unknown> = { ...parseStoredPreferences(stored) };
  for (const [key, value] of Object.entries(patch)) {
    if (value !== undefined) own[key] = value;
  }
  return JSON.stringify(own);
}
