import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Embedder, FinkitError } from '@finkit/core';
import { l2Normalize } from './l2-normalize.js';

export type TransformersPooling = 'mean' | 'cls';
export type TransformersDtype = 'fp32' | 'fp16' | 'q8' | 'int8' | 'uint8' | 'q4' | 'bnb4' | 'q4f16';

export interface TransformersEmbedderOptions {
  /** A Hugging Face model id. Default `Xenova/all-MiniLM-L6-v2` (384-d). */
  model?: string;
  /**
   * A folder holding `<model>/` as on the hub: `config.json`, `tokenizer.json`,
   * `tokenizer_config.json` and `onnx/model.onnx` (or `model_quantized.onnx` for `dtype: 'q8'`).
   * Use it to ship the model with your app.
   */
  localModelPath?: string;
  /** Where downloaded files are cached; also searched when `allowRemote` is false. */
  cacheDir?: string;
  /** May the model be downloaded from the Hugging Face hub? Default false: nothing downloads unasked. */
  allowRemote?: boolean;
  /** Default `mean`, which is how all-MiniLM-L6-v2 was trained. */
  pooling?: TransformersPooling;
  /** L2-normalise the vectors, as the `Embedder` port promises. Default true. */
  normalize?: boolean;
  /** The model's output width; required for a model finkit does not know. */
  dimensions?: number;
  /** Which ONNX weights to run. Default `fp32` (`onnx/model.onnx`). */
  dtype?: TransformersDtype;
  /** Texts per forward pass; padding makes huge batches slow. Default 32. */
  batchSize?: number;
}

export interface TransformersEmbedder extends Embedder {
  /** Releases the ONNX session. The next `embed` loads the model again. */
  dispose(): Promise<void>;
}

/** The part of a transformers.js feature-extraction pipeline this file uses. */
interface Extractor {
  (
    texts: string[],
    options: { pooling: TransformersPooling; normalize: boolean },
  ): Promise<{ data: ArrayLike<number>; dims: number[] }>;
  dispose(): Promise<void>;
}

const knownDimensions: Record<string, number> = {
  'Xenova/all-MiniLM-L6-v2': 384,
  'sentence-transformers/all-MiniLM-L6-v2': 384,
  'onnx-community/all-MiniLM-L6-v2-ONNX': 384,
  'Xenova/all-MiniLM-L12-v2': 384,
  'Xenova/paraphrase-MiniLM-L6-v2': 384,
  'Xenova/bge-small-en-v1.5': 384,
  'Xenova/bge-base-en-v1.5': 768,
  'Xenova/all-mpnet-base-v2': 768,
};

function invalid(message: string, details: Record<string, unknown>): FinkitError<'VALIDATION'> {
  return new FinkitError('VALIDATION', message, { details });
}

/**
 * A sentence-transformers model run by transformers.js on onnxruntime-node: tokenizer, ONNX
 * session, pooling, normalisation. By default it only reads local files (`localModelPath` or
 * `cacheDir`); set `allowRemote` to let it download the model once. Loads on the first
 * non-empty `embed` call.
 */
export function createTransformersEmbedder(options: TransformersEmbedderOptions = {}): TransformersEmbedder {
  const model = options.model ?? 'Xenova/all-MiniLM-L6-v2';
  const pooling = options.pooling ?? 'mean';
  const normalize = options.normalize ?? true;
  const dtype = options.dtype ?? 'fp32';
  const allowRemote = options.allowRemote ?? false;
  const batchSize = options.batchSize ?? 32;
  const dimensions = options.dimensions ?? knownDimensions[model];
  if (dimensions === undefined) {
    throw invalid(`The width of model ${model} is unknown: pass dimensions`, { model });
  }
  for (const [name, value] of Object.entries({ dimensions, batchSize })) {
    if (!Number.isInteger(value) || value < 1) {
      throw invalid(`${name} must be a positive integer, got ${value}`, { [name]: value });
    }
  }
  const { localModelPath, cacheDir } = options;
  const details = { model, localModelPath, cacheDir, allowRemote, dtype };

  // transformers.js reads a local folder through a process-wide `env.localModelPath`; passing the
  // folder itself as the model keeps two embedders with different folders from racing on it.
  const locate = (): { source: string; localOnly: boolean } => {
    if (localModelPath !== undefined) {
      const folder = resolve(localModelPath, model);
      if (existsSync(join(folder, 'config.json'))) return { source: folder, localOnly: true };
      if (!allowRemote) {
        throw new FinkitError(
          'CAPABILITY_UNAVAILABLE',
          `Model ${model} is not in localModelPath ${localModelPath} (no ${join(folder, 'config.json')}) and allowRemote is false`,
          { details },
        );
      }
    }
    return { source: model, localOnly: !allowRemote };
  };

  const load = async (): Promise<Extractor> => {
    const { source, localOnly } = locate();
    let transformers: typeof import('@huggingface/transformers');
    try {
      transformers = await import('@huggingface/transformers');
    } catch (error) {
      throw new FinkitError(
        'CAPABILITY_UNAVAILABLE',
        'createTransformersEmbedder needs the @huggingface/transformers package: install it next to @finkit/embeddings',
        { cause: error, details },
      );
    }
    try {
      const extractor = await transformers.pipeline('feature-extraction', source, {
        local_files_only: localOnly,
        ...(cacheDir === undefined ? {} : { cache_dir: cacheDir }),
        dtype,
        device: 'cpu',
      });
      return extractor as unknown as Extractor;
    } catch (error) {
      const where = localOnly
        ? `from local files only (${localModelPath === undefined ? `cacheDir ${cacheDir ?? 'default'}` : `localModelPath ${localModelPath}`}; allowRemote is false)`
        : 'from the Hugging Face hub';
      throw new FinkitError(
        'CAPABILITY_UNAVAILABLE',
        `Could not load model ${model} ${where}: ${String(error)}`,
        {
          cause: error,
          details,
        },
      );
    }
  };

  // Not `lazy()`: dispose must see whether a load ever started, without starting one.
  let loading: Promise<Extractor> | undefined;
  const getExtractor = (): Promise<Extractor> => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };

  return {
    id: `${model}@${dtype}-${pooling}${normalize ? '' : '-unnormalized'}`,
    dimensions,
    async embed(texts) {
      if (texts.length === 0) return [];
      const extractor = await getExtractor();
      const vectors: Float32Array[] = [];
      for (let start = 0; start < texts.length; start += batchSize) {
        const batch = texts.slice(start, start + batchSize);
        const output = await extractor(batch, { pooling, normalize: false });
        const width = output.dims[1];
        if (output.dims.length !== 2 || output.dims[0] !== batch.length || width !== dimensions) {
          throw invalid(
            `Model ${model} gives vectors of shape [${output.dims.join(', ')}]; expected ${dimensions} dimensions`,
            { ...details, dims: output.dims, dimensions },
          );
        }
        for (let row = 0; row < batch.length; row++) {
          const vector = Float32Array.from(
            { length: dimensions },
            (_, i) => output.data[row * dimensions + i] as number,
          );
          vectors.push(normalize ? l2Normalize(vector) : vector);
        }
      }
      return vectors;
    },
    async dispose() {
      const previous = loading;
      loading = undefined;
      await (await previous?.catch(() => undefined))?.dispose();
    },
  };
}
