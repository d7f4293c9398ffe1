/**
 * The `Notifier`: email, SMS, web push, signed webhooks and in-app channels, preferences,
 * retries and de-duplication.
 *
 * @packageDocumentation
 * @module \@finkit/notifier
 */
export * from './channels/create-in-app-channel.js';
export * from './channels/create-sendgrid-email-channel.js';
export * from './channels/create-smtp-email-channel.js';
export * from './channels/create-store-push-subscriptions.js';
export * from './channels/create-twilio-sms-channel.js';
export * from './channels/create-web-push-channel.js';
export * from './channels/create-webhook-channel.js';
export * from './channels/delivery-channel.js';
export * from './channels/push-subscriptions.js';
export * from './channels/sms-segments.js';
export * from './create-notifier.js';
export * from './delivery-failure.js';
export * from './idempotency-key.js';
export * from './preferences/create-memory-preferences.js';
export * from './preferences/create-store-preferences.js';
export * from './preferences/next-local-time.js';
export * from './preferences/notification-preferences.js';
export * from './retry-delay.js';
export * from './templates/notification-templates.js';
export * from './webhook-signature.js';
export * from './wire-notifier.js';
