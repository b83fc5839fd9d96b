// Webhook signatures: HMAC-SHA256 over "<timestamp>.<body>" with the site's CRM
// secret, sent as `O2O-Signature: t=<unix seconds>,v1=<hex>`. The timestamp is
// signed too, so a captured request can't be replayed later than the CRM's
// tolerance (README "For CRM integrators" has the receiving side).
const enc = new TextEncoder();

export const SIGNATURE_HEADER = 'O2O-Signature';

async function hmacHex(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', enc.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, enc.encode(message)));
  return Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The header value for `body` sent at `nowMs`. */
export async function signatureFor(secret: string, body: string, nowMs: number): Promise<string> {
  const t = Math.floor(nowMs / 1000);
  return `t=${t},v1=${await hmacHex(secret, `${t}.${body}`)}`;
}

/** The receiving side, as a CRM would write it: right secret, untouched body, fresh timestamp. */
export async function verifySignature(secret: string, header: string, body: string, nowMs: number, toleranceS = 300): Promise<boolean> {
  const parts = Object.fromEntries(header.split(',').map((kv) => kv.split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1 || Math.abs(nowMs / 1000 - t) > toleranceS) return false;
  const expected = await hmacHex(secret, `${t}.${body}`);
  const [a, b] = [enc.encode(expected), enc.encode(parts.v1)];
  return a.byteLength === b.byteLength && crypto.subtle.timingSafeEqual(a, b);
}
