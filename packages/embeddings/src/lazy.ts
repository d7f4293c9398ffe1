/**
 * Runs `load` once, on first use; concurrent first callers share the same promise. A failed load
 * is forgotten so a later call can retry (say, after the user installs the missing model).
 */
export function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= load().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
