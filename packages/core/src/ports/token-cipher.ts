/**
 * Encrypts provider access tokens at rest. Ciphertexts are self-describing (they name the key
 * that made them) so keys can rotate: old ciphertexts decrypt while new ones use the primary key.
 */
export interface TokenCipher {
  /** Encrypts with the primary key. Two calls with one plaintext give different ciphertexts. */
  encrypt(plaintext: string): Promise<string>;
  /**
   * Decrypts a ciphertext made by any configured key.
   * @throws FinkitError `CRYPTO` when the ciphertext was tampered with, is malformed, or names
   * an unknown key. Never returns wrong plaintext.
   */
  decrypt(ciphertext: string): Promise<string>;
  /** True when the ciphertext was made by a key other than the primary one (re-encrypt it). */
  needsRotation(ciphertext: string): boolean;
}
