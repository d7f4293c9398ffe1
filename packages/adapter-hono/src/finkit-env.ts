import type { Finkit } from '@finkit/core';

/** What the app's middleware puts on the context for the handlers after it. */
export interface FinkitEnv {
  Variables: {
    /** The acting user, set by the authentication middleware. */
    userId: string;
    finkit: Finkit;
  };
}
