import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../ports/store.js';
import { describeAggregatesContract } from './describe-aggregates-contract.js';
import { describeBudgetSnapshotContract } from './describe-budget-snapshot-contract.js';
import { describeCategoriesBudgetsGoalsContract } from './describe-categories-budgets-goals-contract.js';
import { describeDeliveriesContract } from './describe-deliveries-contract.js';
import { describeIsolationContract } from './describe-isolation-contract.js';
import { describeLearnerStateContract } from './describe-learner-state-contract.js';
import { describeNotificationPreferencesContract } from './describe-notification-preferences-contract.js';
import { describeNotificationsContract } from './describe-notifications-contract.js';
import { describePaginationContract } from './describe-pagination-contract.js';
import { describeProvenanceContract } from './describe-provenance-contract.js';
import { describePushSubscriptionsContract } from './describe-push-subscriptions-contract.js';
import { describeRecordsContract } from './describe-records-contract.js';
import { describeSearchContract } from './describe-search-contract.js';
import { describeSyncBatchContract } from './describe-sync-batch-contract.js';
import { type ContractHarness, createTickingClock } from './store-contract-fixtures.js';
import type { StoreContractContext, StoreContractOptions, StoreUnderTest } from './store-under-test.js';

/**
 * Registers the Store contract suite with vitest. Call it at the top level of a test file:
 *
 * ```ts
 * runStoreContract('memory', ({ clock }) => ({ store: createMemoryStore({ clock }) }));
 * ```
 *
 * The factory runs once; every test works under its own fresh user ids, so the store is never
 * reset between tests.
 */
export function runStoreContract(
  name: string,
  factory: (context: StoreContractContext) => Promise<StoreUnderTest> | StoreUnderTest,
  options: StoreContractOptions = {},
): void {
  const skip = options.skip ?? {};
  const registered = new Set<string>();
  let subject: StoreUnderTest | undefined;
  const context: StoreContractContext = { clock: createTickingClock() };
  const harness: ContractHarness = {
    get store(): Store {
      if (subject === undefined)
        throw new Error(`Store contract (${name}): the factory did not produce a store`);
      return subject.store;
    },
    get raw() {
      return subject?.raw;
    },
    test(title, fn) {
      registered.add(title);
      const reason = skip[title];
      if (reason === undefined) it(title, fn);
      else it.skip(`${title} (skipped: ${reason})`, fn);
    },
  };

  describe(`Store contract: ${name}`, () => {
    beforeAll(async () => {
      subject = await factory(context);
    }, options.setupTimeoutMs ?? 60_000);
    afterAll(async () => {
      await subject?.store.close();
      await subject?.cleanup?.();
    });

    describe('isolation', () => describeIsolationContract(harness));
    describe('records', () => describeRecordsContract(harness));
    describe('sync batch', () => describeSyncBatchContract(harness));
    describe('provenance', () => describeProvenanceContract(harness));
    describe('list and pagination', () => describePaginationContract(harness));
    describe('aggregates', () => describeAggregatesContract(harness));
    describe('categories, budgets and goals', () => describeCategoriesBudgetsGoalsContract(harness));
    describe('budget snapshot', () => describeBudgetSnapshotContract(harness));
    describe('notifications', () => describeNotificationsContract(harness));
    describe('learner state', () => describeLearnerStateContract(harness));
    describe('deliveries', () => describeDeliveriesContract(harness));
    describe('push subscriptions', () => describePushSubscriptionsContract(harness));
    describe('notification preferences', () => describeNotificationPreferencesContract(harness));
    describe('vector search', () => describeSearchContract(harness));

    const unknown = Object.keys(skip).filter((title) => !registered.has(title));
    if (unknown.length > 0) {
      it('every skipped title names a test', () => {
        expect(unknown, 'options.skip names tests that do not exist').toEqual([]);
      });
    }
  });
}
