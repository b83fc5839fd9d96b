// DingTalk's signing (加签) for a custom robot: the request carries `timestamp`
// (ms) and `sign` = base64(HMAC-SHA256(key = secret, message = `${timestamp}\n${secret}`)),
// URL-encoded. DingTalk refuses a timestamp more than an hour from its clock,
// so each attempt signs afresh.
const enc = new TextEncoder();

/** The `sign` parameter's value before URL-encoding (URLSearchParams encodes it). */
export async function dingtalkSign(secret: string, timestampMs: number): Promise<string> {
  const key = await crypto.subtle.importKey('raw', enc.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, enc.encode(`${timestampMs}\n${secret}`)));
  return btoa(String.fromCharCode(...mac));
}
