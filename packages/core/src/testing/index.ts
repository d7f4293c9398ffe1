export * from './run-store-contract.js';
export * from './store-under-test.js';
