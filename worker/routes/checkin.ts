// /checkin/:store: the self check-in a customer reaches by scanning the store's
// poster. No token: the poster's key (k) proves the scan came from the poster,
// and the visitor id comes from the phone's own localStorage. One arrival per
// person, store and day, so scanning twice or sharing the photo inflates nothing
// more than one arrival per visitor id. The GET pages answer HTML (a phone shows
// them); the POST answers JSON with the usual error envelope.
import { Hono, type Context } from 'hono';
import { secretEquals } from '../auth/tokens';
import { findCheckinKey } from '../db/checkin';
import { getSite, getStore, type Site, type Store } from '../db/sites';
import type { AppEnv } from '../env';
import { ApiError, badRequest } from '../errors';
import { recordArrival } from '../flows/arrivals';
import { checkVisitorId } from '../flows/customer';
import { jsonBody } from '../middleware/body';
import { CHECKIN_CSS, CHECKIN_SCRIPT, checkinPage, errorPage, posterPage } from './checkin-pages';
import { checkinUrl, qrSvg } from './stores';

export const checkin = new Hono<AppEnv>();

/** The site and store of a check-in URL if its key is the store's current one; else null. */
async function verified(db: D1Database, siteKey: unknown, storeId: string, key: unknown): Promise<{ site: Site; store: Store } | null> {
  if (typeof siteKey !== 'string' || typeof key !== 'string' || !siteKey || !key || siteKey.length > 64 || key.length > 64) return null;
  const [site, store, expected] = await Promise.all([getSite(db, siteKey), getStore(db, siteKey, storeId), findCheckinKey(db, siteKey, storeId)]);
  if (!site || !store || !expected || !(await secretEquals(key, expected))) return null;
  return { site, store };
}

// The CSP, Referrer-Policy and nosniff of these pages come from worker/security-headers.ts.
const html = (c: Context, body: string, status: 200 | 403 = 200) =>
  c.html(body, status, { 'cache-control': 'no-store', 'x-frame-options': 'DENY' });

// The pages' stylesheet and script (no dot in a store id, so no store shadows them).
const asset = (type: string, body: string) => (c: Context) =>
  c.body(body, 200, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'public, max-age=3600' });
checkin.get('/checkin.css', asset('text/css', CHECKIN_CSS));
checkin.get('/checkin.js', asset('text/javascript', CHECKIN_SCRIPT));

const STALE = '这个二维码已失效，请告诉门店顾问您的预约码。 This QR code is no longer valid: please tell the staff your appointment code.';

checkin.get('/:store', async (c) => {
  const s = c.req.query('s');
  const ok = await verified(c.env.DB, s, c.req.param('store'), c.req.query('k'));
  if (!ok) return html(c, errorPage(STALE), 403);
  return html(c, checkinPage(ok.site, ok.store, c.req.query('k')!));
});

checkin.get('/:store/poster', async (c) => {
  const k = c.req.query('k');
  const ok = await verified(c.env.DB, c.req.query('s'), c.req.param('store'), k);
  if (!ok) return html(c, errorPage(STALE), 403);
  const url = checkinUrl(new URL(c.req.url).origin, ok.site.siteKey, ok.store.storeId, k!);
  return html(c, posterPage(ok.site, ok.store, qrSvg(url)));
});

checkin.post('/:store', async (c) => {
  const b = await jsonBody(c, 2048);
  const ok = await verified(c.env.DB, b.s, c.req.param('store'), b.k);
  if (!ok) throw new ApiError(403, 'invalid_checkin_key', 'this check-in link is not (or no longer) valid for the store');
  if (b.v === undefined) throw badRequest('missing_field', '"v" (the visitor id from localStorage) is required');
  const visitor = checkVisitorId(b.v);
  const out = await recordArrival(c.env.DB, ok.site, { visitor, store: ok.store.storeId }, 'self', (p) => c.executionCtx.waitUntil(p));
  // The poster's key is public by design: the phone gets its own arrival and the
  // lead code to show, nothing of the lead's screening (note, status, form fields).
  return c.json(
    { ...out, lead: out.lead && { code: out.lead.code }, store: { id: ok.store.storeId, name: ok.store.name } },
    out.duplicate ? 200 : 201,
  );
});
