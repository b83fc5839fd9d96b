// POST /collect: the open-internet edge. Accepts text/plain (sendBeacon, no
// CORS preflight) and application/json; answers preflights for allowed origins.
// Order of refusals, cheapest first: client rate limit (429), body size (413),
// JSON (400), site key (403), origin (403), site rate limit (429); then bots
// get a 2xx and are counted, and every other event is validated on its own.
import { Hono } from 'hono';
import { LIMITS } from '../../sdk/protocol';
import { corsHeaders, originAllowed, sameOrigin } from '../auth/origins';
import { limitClient, limitSite } from '../auth/ratelimit';
import { anySiteAllowsOrigin } from '../db/sites';
import type { AppEnv } from '../env';
import { requestFacts } from '../enrich';
import { ApiError } from '../errors';
import { dropBotBatch, ingest, parseBatch, resolveSite } from '../handlers/ingest';

export const collect = new Hono<AppEnv>();

collect.options('/', async function collectPreflight(c) {
  const origin = c.req.header('origin');
  if (!origin) throw new ApiError(400, 'bad_preflight', 'a CORS preflight needs an Origin header');
  // The preflight carries no body, so no site key: any site's origin passes here,
  // and the POST itself is checked against its own site.
  const ok = origin !== 'null' && (sameOrigin(origin, c.req.url) || (await anySiteAllowsOrigin(c.env.DB, origin)));
  if (!ok) throw new ApiError(403, 'origin_not_allowed', `origin ${origin} is not allowed by any site`);
  return c.body(null, 204, corsHeaders(origin, true));
});

collect.post('/', async function collectBatch(c) {
  await limitClient(c.env, c.req.raw);
  const text = await readBounded(c.req.raw, LIMITS.maxBodyBytes);
  const batch = parseBatch(text);
  const site = await resolveSite(c.env.DB, batch.siteKey);
  const origin = c.req.header('origin');
  if (origin !== undefined) {
    if (!originAllowed(site, origin, c.req.url)) {
      throw new ApiError(403, 'origin_not_allowed', `origin ${origin} is not allowed for site "${site.siteKey}"`);
    }
    // Set before anything else can fail, so the page can read a 429 too.
    for (const [k, v] of Object.entries(corsHeaders(origin))) c.header(k, v);
  }
  await limitSite(c.env, site.siteKey);
  const facts = requestFacts(c.req.raw);
  // A bot gets a 2xx so it does not retry; its events are counted, never stored.
  if (facts.bot) return c.json(await dropBotBatch(c.env.DB, site, batch.events, facts), 202);
  return c.json(await ingest(c.env.DB, site, batch.events, facts), 202);
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
  // Invalid UTF-8 becomes U+FFFD and then fails JSON or validation: never a throw here.
  return new TextDecoder().decode(buf);
}
