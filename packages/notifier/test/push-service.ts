import { createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, verify } from 'node:crypto';
import { json, startHttpServer } from './http-test-server.js';

/** A browser's side of a subscription: the keys it would give the app, and the private half. */
export function createSubscriptionKeys() {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const auth = randomBytes(16);
  return {
    ecdh,
    auth,
    keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') },
  };
}

/** RFC 8291 on the receiving end: ECDH with the sender's key in the header, HKDF, AES-128-GCM. */
export function decryptPushPayload(body: Buffer, ua: ReturnType<typeof createSubscriptionKeys>): string {
  const salt = body.subarray(0, 16);
  const idLength = body.readUInt8(20);
  const asPublic = body.subarray(21, 21 + idLength);
  const ciphertext = body.subarray(21 + idLength);
  const ecdhSecret = ua.ecdh.computeSecret(asPublic);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), ua.ecdh.getPublicKey(), asPublic]);
  const ikm = Buffer.from(hkdfSync('sha256', ecdhSecret, ua.auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const padded = Buffer.concat([
    decipher.update(ciphertext.subarray(0, ciphertext.length - 16)),
    decipher.final(),
  ]);
  // The last record ends with the delimiter 0x02 followed by zero padding.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end -= 1;
  if (padded[end] !== 2) throw new Error('bad padding delimiter');
  return padded.subarray(0, end).toString('utf8');
}

/** Checks the VAPID `Authorization: vapid t=<jwt>, k=<key>` header (ES256 over the audience). */
export function verifyVapid(header: string | undefined, audience: string, publicKey: string): boolean {
  const match = /^vapid t=([^,\s]+),\s*k=([^,\s]+)$/.exec(header ?? '');
  if (match === null || match[2] !== publicKey) return false;
  const [encodedHeader, encodedClaims, signature] = (match[1] ?? '').split('.');
  if (encodedHeader === undefined || encodedClaims === undefined || signature === undefined) return false;
  const point = Buffer.from(publicKey, 'base64url');
  const key = createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33).toString('base64url'),
    },
    format: 'jwk',
  });
  const valid = verify(
    'sha256',
    Buffer.from(`${encodedHeader}.${encodedClaims}`),
    { key, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  );
  const claims = JSON.parse(Buffer.from(encodedClaims, 'base64url').toString('utf8')) as {
    aud: string;
    exp: number;
  };
  return valid && claims.aud === audience && claims.exp * 1000 > Date.now();
}

/** A push service: `/gone/...` endpoints answer 410, others 201 after recording the request. */
export async function startPushService() {
  return startHttpServer((request, response) => {
    if (request.url.startsWith('/gone/')) return json(response, 410, { reason: 'unsubscribed' });
    response.writeHead(201, { location: `/messages/${request.url.slice(1)}` });
    response.end();
  });
}
