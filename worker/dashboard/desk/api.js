// The desk's calls: a ticket for each WebSocket (a browser cannot send the token
// as a header on one), the site's quick replies and topic tags, the visitor's
// context, and booking a visit (POST /api/v1/leads, the service token's one write).
import { api } from '../api.js';

/** POST /api/v1/desk/ticket: single-use, 60 s. */
export const ticket = (site) => api('/desk/ticket', { method: 'POST', query: { site } });
/** GET /api/v1/desk/settings: { quickReplies, topicTags }. */
export const deskSettings = (site) => api('/desk/settings', { query: { site } });
/** GET /api/v1/desk/conversations/:c/context */
export const visitorContext = (site, c) => api(`/desk/conversations/${encodeURIComponent(c)}/context`, { query: { site } });
/** POST /api/v1/leads: answers { lead: { code, … }, duplicate }. */
export const book = (body) => api('/leads', { method: 'POST', json: body });

/** The same-origin WebSocket URL of an /api/v1 path with a ticket. */
export function socketUrl(path, ticketId) {
  const u = new URL(`/api/v1${path}`, location.origin);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  u.searchParams.set('ticket', ticketId);
  return u.href;
}
