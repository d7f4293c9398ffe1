import { eventPayloads } from './event-payloads.js';
import { goalMilestones } from './goal-milestones.js';
import { initialSchema } from './initial-schema.js';
import { learnerState } from './learner-state.js';
import { learnerStateVersion } from './learner-state-version.js';
import type { Migration } from './migration.js';
import { notificationDeliveries } from './notification-deliveries.js';
import { notificationHolds } from './notification-holds.js';
import { notificationPreferencesVersion } from './notification-preferences-version.js';
import { pushSubscriptionOwner } from './push-subscription-owner.js';
import { pushSubscriptions } from './push-subscriptions.js';
import { transactionEmbeddings } from './transaction-embeddings.js';

/** Every migration in version order. Append only: a released migration never changes. */
export const migrations: readonly Migration[] = [
  initialSchema,
  transactionEmbeddings,
  goalMilestones,
  eventPayloads,
  notificationDeliveries,
  learnerState,
  notificationHolds,
  learnerStateVersion,
  pushSubscriptions,
  pushSubscriptionOwner,
  notificationPreferencesVersion,
];
