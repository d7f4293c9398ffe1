import { createHash, randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

/** The public half of a signing key, as `/webhook_verification_key/get` returns it. */
export interface WebhookVerificationKeyJson {
  alg: 'ES256';
  crv: string;
  kid: string;
  kty: string;
  use: 'sig';
  x: string;
  y: string;
  created_at: number;
  expired_at: number | null;
}

export interface WebhookSigner {
  /** A `Plaid-Verification` JWT for `body`; `issuedAt` (unix seconds) defaults to now. */
  sign(body: string, options?: { issuedAt?: number }): Promise<string>;
  key(kid: string): WebhookVerificationKeyJson | undefined;
  /** Retires the current key (its `expired_at` becomes now) and signs with a new one. */
  rotate(): Promise<void>;
}

interface SigningKey {
  privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  jwk: WebhookVerificationKeyJson;
}

/** ES256 keys like Plaid's; they are random per sandbox, which never touches generated data. */
export async function createWebhookSigner(now: () => Date = () => new Date()): Promise<WebhookSigner> {
  const keys = new Map<string, SigningKey>();
  const seconds = (): number => Math.floor(now().getTime() / 1000);
  let current: SigningKey;

  const newKey = async (): Promise<SigningKey> => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = await exportJWK(publicKey);
    const key: SigningKey = {
      privateKey,
      jwk: {
        alg: 'ES256',
        crv: jwk.crv ?? 'P-256',
        kid: randomUUID(),
        kty: jwk.kty ?? 'EC',
        use: 'sig',
        x: jwk.x ?? '',
        y: jwk.y ?? '',
        created_at: seconds(),
        expired_at: null,
      },
    };
    keys.set(key.jwk.kid, key);
    return key;
  };
  current = await newKey();

  return {
    async sign(body, options = {}) {
      const digest = createHash('sha256').update(body, 'utf8').digest('hex');
      return new SignJWT({ request_body_sha256: digest })
        .setProtectedHeader({ alg: 'ES256', kid: current.jwk.kid, typ: 'JWT' })
        .setIssuedAt(options.issuedAt ?? seconds())
        .sign(current.privateKey);
    },
    key: (kid) => {
      const key = keys.get(kid);
      return key ? { ...key.jwk } : undefined;
    },
    async rotate() {
      current.jwk.expired_at = seconds();
      current = await newKey();
    },
  };
}
