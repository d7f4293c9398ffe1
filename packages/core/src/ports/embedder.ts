/** Turns texts into vectors for categorization and semantic search. */
export interface Embedder {
  /** Identifies the model and its version; stored with every vector so a change can re-embed. */
  readonly id: string;
  readonly dimensions: number;
  /**
   * One vector per text, in input order, each of length `dimensions`, L2-normalised.
   * An empty input gives an empty output without loading the model.
   */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}
