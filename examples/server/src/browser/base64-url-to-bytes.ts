/**
 * The bytes of base64url text (RFC 4648 §5, padding optional): the VAPID public key is sent that
 * way, and `pushManager.subscribe` wants its `applicationServerKey` as bytes.
 */
export function base64UrlToBytes(text: string): Uint8Array<ArrayBuffer> {
  const base64 = text
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(text.length / 4) * 4, '=');
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
