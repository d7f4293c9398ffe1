import { FinkitError } from '../errors/finkit-error.js';
import type { Store } from '../ports/store.js';
import type { TokenCipher } from '../ports/token-cipher.js';
import { connectionStatusSchema } from '../schemas/connection.js';

/** What one pass of {@link rotateAccessTokens} did. */
export interface TokenRotationReport {
  /** Connections whose token was re-encrypted under the primary key. */
  rotated: number;
  /** Connections already under the primary key. */
  current: number;
  /**
   * Connections left as they were because their token did not decrypt (its key is no longer
   * configured, or the ciphertext is damaged). Keep the old key until this list is empty.
   */
  failed: { userId: string; connectionId: string; code: string; message: string }[];
}

/**
 * Re-encrypts every stored access token that is not under the cipher's primary key, removed
 * connections included (their tokens may still be needed to revoke access). Safe to run again and
 * alongside syncs: a token's plaintext never changes, only its ciphertext. One bad token does not
 * stop the pass; it is reported in `failed` so the old key is not retired too early.
 */
export async function rotateAccessTokens(store: Store, cipher: TokenCipher): Promise<TokenRotationReport> {
  const report: TokenRotationReport = { rotated: 0, current: 0, failed: [] };
  const connections = await store.connections.listByStatus(connectionStatusSchema.options);
  for (const connection of connections) {
    const { userId, id: connectionId, encryptedAccessToken } = connection;
    try {
      // needsRotation parses the ciphertext and throws on a damaged one, which is a failure too.
      if (!cipher.needsRotation(encryptedAccessToken)) {
        report.current += 1;
        continue;
      }
      const token = await cipher.decrypt(encryptedAccessToken);
      await store.connections.update(userId, connectionId, {
        encryptedAccessToken: await cipher.encrypt(token),
      });
      report.rotated += 1;
    } catch (error) {
      if (!FinkitError.hasCode(error, 'CRYPTO')) throw error;
      report.failed.push({ userId, connectionId, code: error.code, message: error.message });
    }
  }
  return report;
}
