import { createMemoryStore } from '@finkit/core';
import { runStoreContract } from '@finkit/core/testing';

runStoreContract('memory', ({ clock }) => ({ store: createMemoryStore({ clock }) }));
