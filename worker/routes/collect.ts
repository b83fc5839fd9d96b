// POST /collect: the open-internet edge. Accepts text/plain (sendBeacon, no
// CORS preflight) and application/json; answers preflights for allowed origins.
// It only checks and enqueues: the fold writes D1 later (worker/ingest/).
// Cheapest first, and what no real page sends is shed before it costs anything:
// body size (413), JSON (400), an empty batch (202, nothing done), site key
// (403), origin (403); a known bot gets a 2xx and only its count is queued; a
// batch with no valid event gets its per-event answer and nothing is queued;
// then the per-client abuse limit (429 with Retry-After) and the queue (503 if
// it refuses, so the SDK keeps the batch). There is no per-site limit: the
// queue absorbs a spike, and a real browser's beacon is never refused for volume.
import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { LIMITS, type Batch, type CollectResult } from '../../protocol/wire';
import { corsHeaders, miniProgramAllowed, miniProgramOf, originAllowed, preflight } from '../auth/origins';
import { limitClient } from '../auth/ratelimit';
import type { AppEnv } from '../env';
import { requestFacts } from '../enrich';
import { ApiError } from '../errors';
import { checkBatch, leadsNow, messageOf, parseBatch, refuseTaken, resolveSite, splitMessage } from '../ingest/edge';
import { MESSAGE_VERSION, type IngestMessage } from '../ingest/message';
import { describe } from '../middleware/describe';

export const collect = new Hono<AppEnv>();

collect.options('/', async function collectPreflight(c) {
  return c.body(null, 204, await preflight(c.env.DB, c.req.header('origin'), c.req.url));
});

// The body is checked by hand (worker/ingest/edge.ts, worker/validate/event.ts):
// the hot path, with per-event answers. Here, what the description shows of it.
const batchExample: Batch = {
  s: 'demo',
  e: [
    { i: 'Vf3kQ9zL2mN8xR1tYw0aB', t: 'view', ts: 1_796_106_600_000, v: 'v_8Jq2LrX0aZ', ss: 's_Q1w2E3r4', pv: 'p_Z9x8C7v6', u: '/sku/SOFA-01', r: 'https://www.baidu.com/', q: { ch: 'baidu_sem', utm_campaign: 'winter' }, k: 'SOFA-01' },
    { i: 'Kd82hQ0sLx3mPz7RtY5uC', t: 'appointment', ts: 1_796_106_900_000, v: 'v_8Jq2LrX0aZ', ss: 's_Q1w2E3r4', pv: 'p_Z9x8C7v6', u: '/sku/SOFA-01', k: 'SOFA-01', p: { store: 'sh-xuhui', budget: 8000, style: '现代简约' } },
    { i: 'bad id', t: 'view', ts: 1_796_106_900_000, v: 'v_8Jq2LrX0aZ', ss: 's_Q1w2E3r4' },
  ],
};
const collectExample: CollectResult = {
  accepted: 2, duplicates: 0,
  rejected: [{ index: 2, id: 'bad id', code: 'invalid_field', message: '"i" must be URL-safe characters' }],
  leads: { Kd82hQ0sLx3mPz7RtY5uC: '2Y649R' },
};

collect.post(
  '/',
  describe({
    tag: 'Collect', auth: 'none', summary: 'Beacon a batch of browser events (the script tag sends it)',
    description: `A site key and up to ${LIMITS.maxEvents} events, as \`text/plain\` (sendBeacon, no CORS preflight) or \`application/json\`, at most ${LIMITS.maxBodyBytes / 1024} KiB. Each event is checked on its own: a bad one is listed in \`rejected\`, the others are queued. A known bot gets a 202 with \`dropped\` and nothing stored, so nothing retries.`,
    ok: { status: 202, description: 'Checked and queued', example: collectExample },
    errors: { 400: 'Not a batch (`invalid_json`, `invalid_batch`)', 403: 'An unknown site key (`unknown_site`), or an origin or mini program app id the site does not allow (`origin_not_allowed`)', 413: `The body is over ${LIMITS.maxBodyBytes / 1024} KiB`, 429: 'Too many requests from this client (see Retry-After)', 503: 'The queue refused the batch: send it again later' },
  }),
  describeRoute({ requestBody: { required: true, content: { 'text/plain': { example: batchExample }, 'application/json': { example: batchExample } } } }),
  async function collectBatch(c) {
    const text = await readBounded(c.req.raw, LIMITS.maxBodyBytes);
    const batch = parseBatch(text);
    const nothing: CollectResult = { accepted: 0, duplicates: 0, rejected: [] };
    if (batch.events.length === 0) return c.json(nothing, 202);
    const site = await resolveSite(c.env.DB, batch.siteKey);
    const origin = c.req.header('origin');
    if (origin !== undefined) {
      if (!originAllowed(site, origin, c.req.url)) {
        throw new ApiError(403, 'origin_not_allowed', `origin ${origin} is not allowed for site "${site.siteKey}"`);
      }
      // Set before anything else can fail, so the page can read a 429 too.
      for (const [k, v] of Object.entries(corsHeaders(origin))) c.header(k, v);
    } else {
      // A WeChat mini program: no Origin, its app id in a Referer it cannot set.
      const app = miniProgramOf(c.req.header('referer'));
      if (app !== null && !miniProgramAllowed(site, app)) {
        throw new ApiError(403, 'origin_not_allowed', `mini program app id "${app}" is not allowed for site "${site.siteKey}": add it to the site's miniprogramAppIds`);
      }
    }
    const facts = requestFacts(c.req.raw);
    if (facts.bot) {
      // A bot gets a 2xx so it does not retry; its batch is counted, never stored.
      const dropped = Math.min(batch.events.length, LIMITS.maxEvents);
      const msg: IngestMessage = { v: MESSAGE_VERSION, site: site.siteKey, at: facts.receivedAt, geo: { country: null, region: null, city: null, device: null }, events: [], bot: dropped };
      const queued = (await allowed(c.env, c.req.raw)) && (await c.env.INGEST.send(msg, { contentType: 'json' }).then(() => true, (err) => (console.error('bot count', err), false)));
      c.header('O2O-Queued', queued ? '1' : '0');
      return c.json({ ...nothing, dropped }, 202);
    }
    const checked = checkBatch(site, batch.events, facts);
    const { result } = checked;
    if (checked.events.length === 0) return c.json(result, 202);
    await limitClient(c.env, c.req.raw);
    const msg = messageOf(site, checked.events, facts);
    const leads = await leadsNow(c.env.DB, site, msg);
    const events = leads ? refuseTaken(checked, batch.events, leads.taken) : checked.events;
    if (events.length === 0) return c.json(result, 202);
    // Usually one message; a body whose events grow past the queue's 128 KB with their landings is split.
    const messages = splitMessage(events === checked.events ? msg : { ...msg, events });
    try {
      await Promise.all(messages.map((m) => c.env.INGEST.send(m, { contentType: 'json' })));
    } catch (err) {
      console.error('enqueue', err);
      throw new ApiError(503, 'queue_unavailable', 'the ingest queue refused the batch; send it again later', undefined, { 'Retry-After': '5' });
    }
    // How many queue messages the request made: what a test waits for the fold of.
    c.header('O2O-Queued', String(messages.length));
    return c.json(leads && Object.keys(leads.codes).length ? { ...result, leads: leads.codes } : result, 202);
  },
);

/** The per-client limit, as a yes or no (a bot's count is simply not queued past it). */
async function allowed(env: AppEnv['Bindings'], req: Request): Promise<boolean> {
  try {
    await limitClient(env, req);
    return true;
  } catch {
    return false;
  }
}

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
