/**
 * The cache key for a text: trimmed, inner whitespace collapsed, lowercased. Bank descriptors
 * differ in exactly these ways ("STARBUCKS  #123" vs "starbucks #123") while meaning the same.
 */
export function normalizeEmbeddingText(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase();
}
