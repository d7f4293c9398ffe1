/**
 * `Embedder`s: a bundled offline sentence encoder, transformers.js, caching and batching.
 *
 * @packageDocumentation
 * @module \@finkit/embeddings
 */
export * from './create-bundled-embedder.js';
export * from './create-cached-embedder.js';
export * from './create-transformers-embedder.js';
export * from './l2-normalize.js';
export * from './normalize-embedding-text.js';
