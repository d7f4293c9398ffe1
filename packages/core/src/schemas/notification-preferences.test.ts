import { describe, expect, it } from 'vitest';
import {
  defaultUserNotificationPreferences,
  mergeStoredPreferences,
  notificationPreferencesPatchSchema,
  resolveNotificationPreferences,
} from './notification-preferences.js';

describe('notification preferences documents', () => {
  it('resolves the stored choices over the defaults; nothing stored is the defaults', () => {
    expect(resolveNotificationPreferences(null)).toEqual(defaultUserNotificationPreferences);
    const stored = JSON.stringify({ email: 'a@example.com', quietHours: { start: '23:00', end: '06:30' } });
    const defaults = { ...defaultUserNotificationPreferences, currency: 'EUR' };
    expect(resolveNotificationPreferences(stored, defaults)).toEqual({
      ...defaults,
      email: 'a@example.com',
      quietHours: { start: '23:00', end: '06:30' },
    });
  });

  it('reads leniently: fields that no longer validate, unknown fields and broken JSON fall back', () => {
    const stored = JSON.stringify({
      email: 'a@example.com',
      timeZone: 'Nowhere/Land',
      unknown: 1,
      phone: 12,
    });
    expect(resolveNotificationPreferences(stored)).toEqual({
      ...defaultUserNotificationPreferences,
      email: 'a@example.com',
    });
    for (const broken of ['{', '[]', 'null', '"x"']) {
      expect(resolveNotificationPreferences(broken), broken).toEqual(defaultUserNotificationPreferences);
    }
  });

  it('merges a patch over the stored choices only, dropping invalid stored fields', () => {
    const stored = JSON.stringify({ email: 'a@example.com', locale: 'fr-FR', timeZone: 'Nowhere/Land' });
    const patch = notificationPreferencesPatchSchema.parse({ locale: 'de-DE', digest: null });
    expect(JSON.parse(mergeStoredPreferences(stored, patch))).toEqual({
      email: 'a@example.com',
      locale: 'de-DE',
      digest: null,
    });
  });

  it('the patch schema names the bad field', () => {
    const result = notificationPreferencesPatchSchema.safeParse({ digest: { types: [], at: '9:5' } });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['digest.at']);
  });
});
