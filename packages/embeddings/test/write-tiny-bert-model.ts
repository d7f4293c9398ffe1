import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Writes a tiny BERT-shaped model that transformers.js loads like a real one: a WordPiece
 * tokenizer, config.json and onnx/model.onnx. The graph looks each token up in an embedding table
 * and zeroes padded positions (`last_hidden_state = Gather(E, input_ids) * attention_mask`), so a
 * test can compute the expected pooled vector by hand. Model hubs are unreachable here, so the
 * tests make their model instead of downloading one.
 */
export interface TinyBertModel {
  vocab: string[];
  hiddenSize: number;
  /** Row `i` is the vector of token id `i`. */
  embeddings: Float32Array[];
}

// --- a minimal protobuf writer: enough of the wire format for onnx.ModelProto -------------------

type Field = Uint8Array;

const varint = (value: number): number[] => {
  const bytes: number[] = [];
  let v = BigInt.asUintN(64, BigInt(value));
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) byte |= 0x80;
    bytes.push(byte);
  } while (v !== 0n);
  return bytes;
};
const concat = (parts: readonly Field[]): Field => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
};
const intField = (field: number, value: number): Field =>
  Uint8Array.from([...varint(field << 3), ...varint(value)]);
const bytesField = (field: number, value: Field): Field =>
  concat([Uint8Array.from([...varint((field << 3) | 2), ...varint(value.length)]), value]);
const stringField = (field: number, value: string): Field =>
  bytesField(field, new TextEncoder().encode(value));
const message = (field: number, ...parts: Field[]): Field => bytesField(field, concat(parts));

const FLOAT = 1;
const INT64 = 7;

// TensorProto: dims = 1, data_type = 2, name = 8, raw_data = 9.
const tensor = (field: number, name: string, type: number, dims: number[], raw: Field): Field =>
  message(
    field,
    ...dims.map((d) => intField(1, d)),
    intField(2, type),
    stringField(8, name),
    bytesField(9, raw),
  );

// ValueInfoProto { name = 1, type = 2 { tensor_type = 1 { elem_type = 1, shape = 2 { dim = 1 } } } }
// where a Dimension is dim_value = 1 or dim_param = 2.
const valueInfo = (field: number, name: string, type: number, dims: (number | string)[]): Field =>
  message(
    field,
    stringField(1, name),
    message(
      2,
      message(
        1,
        intField(1, type),
        message(
          2,
          ...dims.map((d) => message(1, typeof d === 'number' ? intField(1, d) : stringField(2, d))),
        ),
      ),
    ),
  );

// NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5.
// AttributeProto: name = 1, i = 3, type = 20 (INT = 2).
const node = (
  opType: string,
  inputs: string[],
  outputs: string[],
  ints: Record<string, number> = {},
): Field =>
  message(
    1,
    ...inputs.map((i) => stringField(1, i)),
    ...outputs.map((o) => stringField(2, o)),
    stringField(3, `${opType}_${outputs[0]}`),
    stringField(4, opType),
    ...Object.entries(ints).map(([name, value]) =>
      message(5, stringField(1, name), intField(3, value), intField(20, 2)),
    ),
  );

function onnxModel(model: TinyBertModel): Field {
  const { vocab, hiddenSize, embeddings } = model;
  const table = new Float32Array(vocab.length * hiddenSize);
  for (const [i, row] of embeddings.entries()) table.set(row, i * hiddenSize);
  const axes = new BigInt64Array([-1n]);
  const graph = message(
    7,
    node('Gather', ['embeddings', 'input_ids'], ['token_vectors'], { axis: 0 }),
    node('Cast', ['attention_mask'], ['mask_float'], { to: FLOAT }),
    node('Unsqueeze', ['mask_float', 'unsqueeze_axes'], ['mask_3d']),
    node('Mul', ['token_vectors', 'mask_3d'], ['last_hidden_state']),
    stringField(2, 'tiny-bert'),
    tensor(5, 'embeddings', FLOAT, [vocab.length, hiddenSize], new Uint8Array(table.buffer)),
    tensor(5, 'unsqueeze_axes', INT64, [1], new Uint8Array(axes.buffer)),
    valueInfo(11, 'input_ids', INT64, ['batch', 'sequence']),
    valueInfo(11, 'attention_mask', INT64, ['batch', 'sequence']),
    valueInfo(12, 'last_hidden_state', FLOAT, ['batch', 'sequence', hiddenSize]),
  );
  // ModelProto: ir_version = 1, producer_name = 2, graph = 7, opset_import = 8 { version = 2 }.
  return concat([intField(1, 8), stringField(2, 'finkit-tests'), graph, message(8, intField(2, 17))]);
}

function tokenizerJson(vocab: string[]): unknown {
  const special = ['[PAD]', '[UNK]', '[CLS]', '[SEP]'];
  const id = (token: string): number => vocab.indexOf(token);
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: special.map((content) => ({
      id: id(content),
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [id('[CLS]')], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [id('[SEP]')], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocab.map((token, i) => [token, i])),
    },
  };
}

/** Deterministic pseudo-random numbers (mulberry32), so the weights are the same on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Writes the model into `directory` (config.json, tokenizer files, onnx/model.onnx). */
export async function writeTinyBertModel(
  directory: string,
  words: string[],
  hiddenSize = 8,
): Promise<TinyBertModel> {
  const vocab = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', ...words];
  const next = random(42);
  const embeddings = vocab.map(() => Float32Array.from({ length: hiddenSize }, () => next() * 2 - 1));
  const model = { vocab, hiddenSize, embeddings };
  await mkdir(join(directory, 'onnx'), { recursive: true });
  const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
  await Promise.all([
    writeFile(join(directory, 'onnx', 'model.onnx'), onnxModel(model)),
    writeFile(join(directory, 'tokenizer.json'), json(tokenizerJson(vocab))),
    writeFile(
      join(directory, 'tokenizer_config.json'),
      json({
        tokenizer_class: 'BertTokenizer',
        do_lower_case: true,
        model_max_length: 128,
        cls_token: '[CLS]',
        sep_token: '[SEP]',
        pad_token: '[PAD]',
        unk_token: '[UNK]',
      }),
    ),
    writeFile(
      join(directory, 'config.json'),
      json({
        model_type: 'bert',
        architectures: ['BertModel'],
        hidden_size: hiddenSize,
        num_attention_heads: 1,
        num_hidden_layers: 0,
        vocab_size: vocab.length,
        max_position_embeddings: 128,
      }),
    ),
  ]);
  return model;
}
