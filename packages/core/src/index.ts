/**
 * Domain types and zod schemas, money, the ports, the engines (sync, categorization, budgets,
 * goals, search, export), typed events and errors, an in-memory store and the `createFinkit()` facade.
 *
 * @packageDocumentation
 * @module \@finkit/core
 */
export * from './budgets/budget-period.js';
export * from './budgets/budget-progress.js';
export * from './budgets/budget-spending.js';
export * from './budgets/create-budget-engine.js';
export * from './budgets/suggest-budgets.js';
export * from './budgets/zoned-date.js';
export * from './categorize/compile-rule.js';
export * from './categorize/create-categorizer.js';
export * from './categorize/create-store-learner-state.js';
export * from './categorize/create-sync-categorize.js';
export * from './categorize/evaluate-rules.js';
export * from './categorize/learner-state-store.js';
export * from './categorize/merchant-knowledge.js';
export * from './categorize/normalize-merchant.js';
export * from './categorize/pfc-category-map.js';
export * from './create-finkit.js';
export * from './crypto/create-token-cipher.js';
export * from './crypto/generate-token-key.js';
export * from './crypto/rotate-access-tokens.js';
export * from './errors/finkit-error.js';
export * from './events/create-memory-event-bus.js';
export * from './facade/notifications-api.js';
export * from './facade/update-stored-preferences.js';
export * from './goals/create-goal-engine.js';
export * from './goals/goal-pace.js';
export * from './goals/goal-projection.js';
export * from './jobs/create-memory-job-runner.js';
export * from './jobs/parse-cron.js';
export * from './memory/memory-store.js';
export * from './money/currency.js';
export * from './money/money.js';
export * from './ports/bank-provider.js';
export * from './ports/clock.js';
export * from './ports/embedder.js';
export * from './ports/event-bus.js';
export * from './ports/job-runner.js';
export * from './ports/notifier.js';
export * from './ports/store.js';
export * from './ports/token-cipher.js';
export * from './schemas/account.js';
export * from './schemas/budget.js';
export * from './schemas/category.js';
export * from './schemas/common.js';
export * from './schemas/connection.js';
export * from './schemas/event.js';
export * from './schemas/goal.js';
export * from './schemas/notification.js';
export * from './schemas/notification-preferences.js';
export * from './schemas/push-subscription.js';
export * from './schemas/rule.js';
export * from './schemas/transaction.js';
export * from './store/apply-transaction-edit.js';
export * from './store/cosine-similarity.js';
export * from './store/is-deep-equal.js';
export * from './store/keyset-cursor.js';
export * from './store/merge-sync-upsert.js';
export * from './store/plan-sync-rows.js';
export * from './store/posted-successor.js';
export * from './store/read-budget-snapshot.js';
export * from './store/transaction-matches-filter.js';
export * from './sync/default-categorize.js';
export * from './sync/sync-engine.js';
export * from './validation/parse-input.js';
export * from './validation/pattern-problem.js';
