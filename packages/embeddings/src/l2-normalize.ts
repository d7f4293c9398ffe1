/**
 * Scales `vector` in place to unit length and returns it. A zero vector stays zero: there is no
 * direction to keep, and NaNs would poison every similarity computed from it later.
 */
export function l2Normalize(vector: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) sum += vector[i]! * vector[i]!;
  if (sum === 0) return vector;
  const scale = 1 / Math.sqrt(sum);
  for (let i = 0; i < vector.length; i++) vector[i]! *= scale;
  return vector;
}
