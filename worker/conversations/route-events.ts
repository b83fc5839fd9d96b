// POST /api/v1/conversations: the brand's chat system reports conversation
// events. A store token of the site (or the admin token) may post; the body is
// `{ site, events: [...] }`, or `{ site, ...oneEvent }` for webhooks that relay
// one event at a time (a bad single event is then a 400).
import { Hono } from 'hono';
import { assertSite, requireToken, type AuthEnv } from '../auth/tokens';
import { getSite } from '../db/sites';
import { ApiError, badRequest } from '../errors';
import { ingestConversations } from './ingest';
import { field, jsonBody } from '../middleware/body';

export const conversations = new Hono<AuthEnv>();

// There is no "service" token kind yet: a store token scoped to the site stands in.
conversations.use('*', requireToken('store'));

conversations.post('/', async (c) => {
  const body = await jsonBody(c);
  const siteKey = field(body, 'site', 64, true);
  assertSite(c.get('principal'), siteKey);
  const site = await getSite(c.env.DB, siteKey);
  if (!site) throw new ApiError(404, 'unknown_site', `site "${siteKey}" does not exist`);

  if (body.events === undefined) {
    const { site: _s, ...event } = body;
    const result = await ingestConversations(c.env.DB, site, [event]);
    const bad = result.rejected[0];
    if (bad) throw badRequest(bad.code, bad.message);
    return c.json(result);
  }
  if (!Array.isArray(body.events)) throw badRequest('invalid_body', '"events" must be an array of conversation events');
  return c.json(await ingestConversations(c.env.DB, site, body.events));
});
