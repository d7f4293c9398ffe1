import { FinkitError } from '@finkit/core';

/** An int8 or numeric value as a JS number; money must stay a safe integer to cross the boundary. */
export function toSafeNumber(value: string | number | bigint): number {
  const result = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(result)) {
    throw new FinkitError('INTERNAL', `Stored integer ${String(value)} is not a safe JS integer`);
  }
  return result;
}

export function toNullableSafeNumber(value: string | number | bigint | null): number | null {
  return value === null ? null : toSafeNumber(value);
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * A `date` column as `YYYY-MM-DD`. `pg` parses dates to local midnight by default, so the local
 * fields are the calendar date; a pool configured to return strings passes through unchanged.
 */
export function toIsoDate(value: Date | string): string {
  if (typeof value === 'string') return value.slice(0, 10);
  return `${pad(value.getFullYear(), 4)}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
}

export function toNullableIsoDate(value: Date | string | null): string | null {
  return value === null ? null : toIsoDate(value);
}

/** pgvector's text form. */
export function toVectorLiteral(vector: Float32Array): string {
  return `[${Array.from(vector).join(',')}]`;
}

/** The entries of `patch` whose value is not undefined, so `{ name: undefined }` changes nothing. */
export function definedEntries<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as Partial<T>;
}

const float4Oid = 700;

/**
 * Vectors as one flat `real[]` in PostgreSQL's binary array format, plus each vector's 1-based
 * bounds in it. `pg` sends a Buffer parameter as binary, so no float is printed in JS or parsed
 * in SQL: text literals of 500 vectors cost PGlite more than inserting the rows they belong to.
 */
export function toFloat4ArrayBinary(vectors: readonly Float32Array[]): {
  buffer: Buffer;
  first: number[];
  last: number[];
} {
  const total = vectors.reduce((sum, vector) => sum + vector.length, 0);
  const buffer = Buffer.allocUnsafe(20 + 8 * total);
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  // Header: dimensions, has-nulls flag, element type, then length and lower bound of the one dimension.
  view.setInt32(0, 1);
  view.setInt32(4, 0);
  view.setUint32(8, float4Oid);
  view.setInt32(12, total);
  view.setInt32(16, 1);
  const first: number[] = [];
  const last: number[] = [];
  let offset = 20;
  let position = 1;
  for (const vector of vectors) {
    first.push(position);
    position += vector.length;
    last.push(position - 1);
    for (const value of vector) {
      view.setInt32(offset, 4);
      view.setFloat32(offset + 4, value);
      offset += 8;
    }
  }
  return { buffer, first, last };
}

/** A text[] literal (`{"a","b"}`), for array-valued columns that travel through `unnest` as text. */
export function toTextArrayLiteral(values: readonly string[]): string {
  return `{${values.map((value) => `"${value.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;
}
