import type { Pool, PoolClient } from 'pg';

/** A pool client that listens for its own errors until released. */
export interface HeldClient {
  client: PoolClient;
  /** Puts the client back, or discards it when it failed while held or `discard` says so. */
  release(discard?: Error | boolean): void;
}

/**
 * Checks a client out of the caller's pool and listens for its errors while it is held. pg-pool
 * listens only while a client is idle, so a connection dropped between two statements (a
 * failover, a killed backend) would be an uncaught 'error' event and end the process. The
 * statement in flight, or the next, rejects anyway; the failed client is discarded on release.
 */
export async function checkOutClient(pool: Pool): Promise<HeldClient> {
  const client = await pool.connect();
  let failed: Error | undefined;
  const onError = (error: Error) => {
    failed = error;
  };
  client.on('error', onError);
  return {
    client,
    release(discard) {
      client.off('error', onError);
      client.release(failed ?? discard);
    },
  };
}
