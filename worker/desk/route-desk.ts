// The agents' desk, under /api/v1/desk: a single-use ticket (a service or admin
// token in the Authorization header), then the desk's WebSocket and a
// conversation's WebSocket with that ticket in the query (a browser cannot send
// a header on a WebSocket); the visitor's context and the site's quick replies
// and topic tags with the token. And, under /api/v1/conversations, a desk
// conversation's transcript, text only, for report tokens of the site (and the
// admin): the conversations are the brand's trade secret, a service token talks
// in them, a report token reads them afterwards. Mounted before the vendor
// relay's router at that path (conversations/route-events.ts).
import { Hono, type MiddlewareHandler } from 'hono';
import { nanoid } from 'nanoid';
import { DeskConversationParams, DeskSiteQuery, DeskTicketQuery, type DeskTicket, type Transcript, type VisitorContext } from '../../protocol/desk';
import { contextExample, deskSettingsExample, deskTicketExample, transcriptExample } from '../../protocol/examples';
import { requireToken } from '../auth/tokens';
import { assertWholeSite } from '../routes/scope';
import { ApiError } from '../errors';
import { describe } from '../middleware/describe';
import { site, type SiteEnv } from '../middleware/site';
import { param, query } from '../middleware/validate';
import { visitorContext } from './context';
import { deskOf, roomOf } from './stubs';
import { agentName, getDeskSettings, issueTicket, redeemTicket } from './tables';
import { passSocket, upgradeOnly } from './upgrade';


/** The desk and its transcripts are site-wide: refused to a token that names stores (routes/scope.ts). */
const wholeSite: MiddlewareHandler<SiteEnv> = async (c, next) => {
  assertWholeSite(c.get('principal'), 'the consult desk');
  await next();
};
export const desk = new Hono<SiteEnv>();

const tag = 'Desk';
const SOCKET_ERRORS = { 403: 'The ticket is unknown, used or expired (`forbidden`)', 426: 'Not a WebSocket upgrade' };

async function redeemed(db: D1Database, ticket: string) {
  const t = await redeemTicket(db, ticket);
  if (!t) throw new ApiError(403, 'forbidden', 'the ticket is unknown, used or expired: get a new one from POST /api/v1/desk/ticket');
  return t;
}

desk.post(
  '/ticket',
  describe({
    tag, auth: 'service', summary: 'A single-use ticket (60 s) for one desk WebSocket; the agent is the token\'s label',
    ok: { example: deskTicketExample },
    errors: { 404: 'No such site' },
  }),
  requireToken('service'),
  wholeSite,
  query(DeskSiteQuery),
  site('query'),
  async (c) => {
    const s = c.get('site').siteKey;
    const agent = await agentName(c.env.DB, c.get('principal').tokenId);
    const ticket = nanoid(32);
    const expiresAt = await issueTicket(c.env.DB, s, agent, ticket);
    return c.json({ ticket, agent, site: s, expiresAt: new Date(expiresAt).toISOString() } satisfies DeskTicket);
  },
);

desk.get(
  '/ws',
  describe({ tag, auth: 'none', summary: 'The desk\'s WebSocket with a ticket: the queue, presence and claims (frames: docs/api.md)', ok: { status: 101, description: 'Switching Protocols: the desk socket' }, errors: SOCKET_ERRORS }),
  upgradeOnly,
  query(DeskTicketQuery),
  async (c) => {
    const t = await redeemed(c.env.DB, c.req.valid('query').ticket);
    return passSocket(await deskOf(c.env, t.site).fetch('https://desk/ws', { headers: { Upgrade: 'websocket', 'o2o-agent': encodeURIComponent(t.agent), 'o2o-site': t.site } }));
  },
);

desk.get(
  '/conversations/:c/ws',
  describe({ tag, auth: 'none', summary: 'A conversation\'s WebSocket as the agent, with a ticket (frames: docs/api.md)', ok: { status: 101, description: 'Switching Protocols: the conversation\'s socket' }, errors: { ...SOCKET_ERRORS, 404: 'No such conversation' } }),
  upgradeOnly,
  param(DeskConversationParams),
  query(DeskTicketQuery),
  async (c) => {
    const t = await redeemed(c.env.DB, c.req.valid('query').ticket);
    const headers = { Upgrade: 'websocket', 'o2o-role': 'agent', 'o2o-agent': encodeURIComponent(t.agent) }; // a name in Chinese: headers are ASCII
    return passSocket(await roomOf(c.env, t.site, c.req.valid('param').c).fetch('https://room/ws', { headers }));
  },
);

desk.get(
  '/conversations/:c/context',
  describe({ tag, auth: 'service', summary: 'The visitor\'s context: channel, campaign, place, days, SKUs and pages dwelt on, earlier leads', ok: { example: contextExample }, errors: { 404: 'No such site or conversation' } }),
  requireToken('service'),
  wholeSite,
  param(DeskConversationParams),
  query(DeskSiteQuery),
  site('query'),
  async (c) => {
    const s = c.get('site').siteKey;
    const room = await roomOf(c.env, s, c.req.valid('param').c).summary();
    if (!room) throw new ApiError(404, 'unknown_conversation', 'no such conversation');
    return c.json(await visitorContext(c.env.DB, s, room.c, room.visitor, room.page, room.sku) satisfies VisitorContext);
  },
);

desk.get(
  '/settings',
  describe({ tag, auth: 'service', summary: 'The site\'s quick replies and topic tags for the desk', ok: { example: deskSettingsExample }, errors: { 404: 'No such site' } }),
  requireToken('service'),
  wholeSite,
  query(DeskSiteQuery),
  site('query'),
  async (c) => c.json(await getDeskSettings(c.env.DB, c.get('site').siteKey)),
);

export const transcripts = new Hono<SiteEnv>();

transcripts.get(
  '/:c/messages',
  describe({
    tag: 'Chat', auth: 'report', summary: 'A desk conversation\'s transcript: its messages as text, oldest first',
    description: 'Messages past the site\'s retention are gone. A booking shows as a system message with its lead code.',
    ok: { example: transcriptExample },
    errors: { 404: 'No such site or conversation' },
  }),
  requireToken('report'),
  wholeSite,
  param(DeskConversationParams),
  query(DeskSiteQuery),
  site('query'),
  async (c) => {
    const t = await roomOf(c.env, c.get('site').siteKey, c.req.valid('param').c).transcript();
    if (!t) throw new ApiError(404, 'unknown_conversation', 'no such conversation');
    return c.json(t satisfies Transcript);
  },
);
