// The visitor's chat, public like /collect: the site key, the site's allowed
// origins (auth/origins.ts) and the per-client rate limit. POST /chat/open makes
// or reopens a conversation bound to the visitor's id and a secret only the
// widget holds (its SHA-256 is kept in the conversation's object); GET /chat/ws
// is the visitor's WebSocket, checked against both by the object itself;
// POST /chat/callback leaves a phone number when no agent is online.
import { Hono, type Context } from 'hono';
import { nanoid } from 'nanoid';
import { ChatCallbackBody, ChatOpenBody, ChatWsQuery, type ChatCallbackAnswer, type ChatOpenAnswer } from '../../protocol/desk';
import { chatOpenExample } from '../../protocol/examples';
import { corsHeaders, originAllowed, preflight } from '../auth/origins';
import { limitClient } from '../auth/ratelimit';
import { sha256Hex } from '../auth/tokens';
import type { Site } from '../db/sites';
import type { AppEnv } from '../env';
import { ApiError } from '../errors';
import { bookForVisitor } from '../flows/booking';
import { resolveSite } from '../ingest/edge';
import { describe } from '../middleware/describe';
import { json, query } from '../middleware/validate';
import { deskOf, roomOf } from './stubs';
import { passSocket, upgradeOnly } from './upgrade';

export const chat = new Hono<AppEnv>();

const tag = 'Chat widget';
const forbidden = () => new ApiError(403, 'forbidden', 'this conversation belongs to another visitor or secret');

/** The site, if this browser page may talk for it (its Origin), within the client's rate limit. */
async function publicSite(c: Context<AppEnv>, siteKey: string): Promise<Site> {
  const site = await resolveSite(c.env.DB, siteKey);
  const origin = c.req.header('origin');
  if (origin !== undefined) {
    if (!originAllowed(site, origin, c.req.url)) throw new ApiError(403, 'origin_not_allowed', `origin ${origin} is not allowed for site "${site.siteKey}"`);
    for (const [k, v] of Object.entries(corsHeaders(origin))) c.header(k, v);
  }
  await limitClient(c.env, c.req.raw);
  return site;
}

// A widget on the brand's storefront posts JSON across origins: answer its preflight as /collect does.
chat.options('/*', async function chatPreflight(c) {
  return c.body(null, 204, await preflight(c.env.DB, c.req.header('origin'), c.req.url));
});

chat.post(
  '/open',
  describe({
    tag, auth: 'none', summary: 'Open the visitor\'s chat: a new conversation, or the visitor\'s own again',
    description: 'Without `c` and `k`, a new conversation bound to the visitor id `v`, with a random secret `k` (kept hashed) that the widget keeps with `c`. With the right (`c`, `k`, `v`), the same conversation. `agentsOnline` says whether an agent has the desk open (else offer a callback).',
    ok: { example: chatOpenExample },
    errors: { 403: 'Another visitor\'s conversation or a wrong secret (`forbidden`), an unknown site or an origin the site does not allow', 429: 'Too many requests from this client' },
  }),
  json(ChatOpenBody, { max: 4 * 1024 }),
  async function chatOpen(c) {
    const b = c.req.valid('json');
    const site = await publicSite(c, b.s);
    const online = deskOf(c.env, site.siteKey).agentsOnline();
    if (b.c !== undefined) {
      if (b.k === undefined) throw forbidden(); // an id alone is never enough
      const r = await roomOf(c.env, site.siteKey, b.c).check(b.v, await sha256Hex(b.k));
      if (r.ok) return c.json({ c: b.c, k: b.k, status: r.status, agentsOnline: await online } satisfies ChatOpenAnswer);
      if (r.reason === 'forbidden') throw forbidden();
      // Gone (past the site's retention): a new conversation below.
    }
    const id = nanoid(21);
    const k = nanoid(32);
    const made = await roomOf(c.env, site.siteKey, id).create({
      site: site.siteKey, c: id, visitor: b.v, secretHash: await sha256Hex(k), page: b.u ?? null, sku: b.sku ?? null, retentionDays: site.retentionDays,
    });
    if (!made) throw new ApiError(503, 'try_again', 'open the chat again'); // a 21-character random id taken: never in practice
    return c.json({ c: id, k, status: 'waiting', agentsOnline: await online } satisfies ChatOpenAnswer);
  },
);

chat.get(
  '/ws',
  describe({
    tag, auth: 'none', summary: 'The visitor\'s WebSocket to its conversation (frames: protocol/desk.ts)',
    description: 'Send `Upgrade: websocket`. The conversation\'s object checks the visitor id and the secret; then `hello {since}` on every connect, `msg {id, text}`, `typing`. See docs/api.md for the frames.',
    ok: { status: 101, description: 'Switching Protocols: the conversation\'s socket' },
    errors: { 403: 'Another visitor\'s conversation or a wrong secret', 404: 'No such conversation', 426: 'Not a WebSocket upgrade', 429: 'Too many requests from this client' },
  }),
  upgradeOnly,
  query(ChatWsQuery),
  async function chatSocket(c) {
    const q = c.req.valid('query');
    const site = await publicSite(c, q.s);
    const headers = { Upgrade: 'websocket', 'o2o-role': 'visitor', 'o2o-visitor': q.v, 'o2o-secret-hash': await sha256Hex(q.k) };
    return passSocket(await roomOf(c.env, site.siteKey, q.c).fetch('https://room/ws', { headers }));
  },
);

chat.post(
  '/callback',
  describe({
    tag, auth: 'none', summary: 'No agent online: the visitor leaves a phone number, which becomes a lead marked callback',
    ok: { status: 201, example: { lead: '2Y649R' } satisfies ChatCallbackAnswer },
    errors: { 403: 'Another visitor\'s conversation or a wrong secret (`forbidden`)', 429: 'Too many requests from this client' },
  }),
  json(ChatCallbackBody, { max: 4 * 1024 }),
  async function chatCallback(c) {
    const b = c.req.valid('json');
    const site = await publicSite(c, b.s);
    const r = await roomOf(c.env, site.siteKey, b.c).check(b.v, await sha256Hex(b.k));
    if (!r.ok) throw forbidden();
    const booked = await bookForVisitor({ db: c.env.DB, queue: c.env.INGEST }, site, {
      visitor: b.v, source: 'callback', conversation: b.c, phone: b.phone, ...(b.name ? { name: b.name } : {}), ...(b.note ? { note: b.note } : {}),
    });
    c.header('O2O-Queued', '1');
    return c.json({ lead: booked.lead.code } satisfies ChatCallbackAnswer, 201);
  },
);
