// POST /api/v1/conversations: the brand's chat system reports conversation
// events. A service or store token of the site (or the admin token) may post; the body is
// `{ site, events: [...] }`, or `{ site, ...oneEvent }` for webhooks that relay
// one event at a time (a bad single event is then a 400).
import { Hono } from 'hono';
import { describeRoute, resolver } from 'hono-openapi';
import { ConversationsBody, ConversationsDoc } from '../../protocol/chat';
import { requireToken } from '../auth/tokens';
import { badRequest } from '../errors';
import { describe } from '../middleware/describe';
import { site, type SiteEnv } from '../middleware/site';
import { json } from '../middleware/validate';
import { ingestConversations, type ConversationResult } from './ingest';

export const conversations = new Hono<SiteEnv>();

const example: ConversationResult = {
  accepted: 2, duplicates: 0,
  rejected: [{ index: 2, conversation: 'c-1029', code: 'invalid_type', message: '"type" must be one of started, first_reply, reply, ended, topics' }],
};

// The service desk's own token; a store token of the site still may (it stood in before there was one).
conversations.use('*', requireToken('service', 'store'));

conversations.post(
  '/',
  describe({
    tag: 'Chat', auth: 'store or service', summary: 'Report conversation events from the chat system',
    description: 'Each event is checked on its own: a bad one is listed in `rejected` (with its index, code and message) and the others are stored. A replayed event is stored once and counted in `duplicates`. A single event sent as the body (`{ site, ...event }`) is answered 400 when it is bad.',
    ok: { example },
    errors: { 404: 'No such site', 413: 'The body is over 256 KiB' },
  }),
  json(ConversationsBody, { codes: { events: 'invalid_body' } }),
  // The body's envelope is checked above, each event in ingestConversations; the
  // description shows the events by their schema.
  describeRoute({ requestBody: { content: { 'application/json': { schema: resolver(ConversationsDoc) as never } } } }),
  site('json'),
  async (c) => {
    const { site: _site, events, ...single } = c.req.valid('json');
    const s = c.get('site');
    if (events !== undefined) return c.json(await ingestConversations(c.env.DB, s, events));
    const result = await ingestConversations(c.env.DB, s, [single]);
    const bad = result.rejected[0];
    if (bad) throw badRequest(bad.code, bad.message);
    return c.json(result);
  },
);
