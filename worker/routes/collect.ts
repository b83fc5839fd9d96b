// POST /collect: the open-internet edge. Accepts text/plain (sendBeacon, no
// CORS preflight) and application/json; bounded body; answers 202.
import { Hono } from 'hono';
import { LIMITS } from '../../sdk/protocol';
import type { AppEnv } from '../env';
import { requestFacts } from '../enrich';
import { ApiError } from '../errors';
import { ingest, parseBatch, resolveSite } from '../handlers/ingest';

export const collect = new Hono<AppEnv>();

collect.post('/', async (c) => {
  const text = await readBounded(c.req.raw, LIMITS.maxBodyBytes);
  const batch = parseBatch(text);
  const site = await resolveSite(c.env.DB, batch.siteKey);
  const result = await ingest(c.env.DB, site, batch.events, requestFacts(c.req.raw));
  return c.json(result, 202);
});

/** Reads at most `max` bytes, refusing early on Content-Length and again while streaming. */
async function readBounded(req: Request, max: number): Promise<string> {
  const tooLarge = () => new ApiError(413, 'body_too_large', `body exceeds ${max} bytes`);
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (declared > max) throw tooLarge();
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const buf = new Uint8Array(size);
  let off = 0;
  for (const ch of chunks) {
    buf.set(ch, off);
    off += ch.byteLength;
  }
  return new TextDecoder().decode(buf);
}
