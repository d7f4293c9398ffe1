/**
 * The contract suite every `Store` adapter runs (`runStoreContract`), on vitest.
 *
 * @packageDocumentation
 * @module \@finkit/core/testing
 */
export * from './run-store-contract.js';
export * from './store-under-test.js';
