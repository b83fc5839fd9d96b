// /checkin/:store: the self check-in a customer reaches by scanning the store's
// poster. No token: the poster's key (k) proves the scan came from the poster,
// and the visitor id comes from the phone's own localStorage. One arrival per
// person, store and day, so scanning twice or sharing the photo inflates nothing
// more than one arrival per visitor id. The GET pages answer HTML (a phone shows
// them); the POST answers JSON with the usual error envelope.
import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import { visitorId } from '../../protocol/fields';
import { arrivalExample } from '../../protocol/examples';
import type { ArrivalJson } from '../../protocol/staff';
import { secretEquals } from '../auth/tokens';
import { findCheckinKey } from '../db/checkin';
import { getSite, getStore, type Site, type Store } from '../db/sites';
import type { AppEnv } from '../env';
import { ApiError } from '../errors';
import { recordArrival } from '../flows/arrivals';
import { describe } from '../middleware/describe';
import { json, query } from '../middleware/validate';
import { CHECKIN_CSS, CHECKIN_SCRIPT, checkinPage, errorPage, posterPage } from './checkin-pages';
import { checkinUrl, qrSvg } from './stores';

export const checkin = new Hono<AppEnv>();

// The check-in link's site (s) and key (k). Any part of a link that is wrong,
// malformed included, gets the one answer (403), so a link never tells which
// part is wrong: a malformed value is read as none. (Their home is
// protocol/staff.ts, beside CheckinQuery.)
const linkPart = (description: string) => v.fallback(v.optional(v.pipe(v.string(), v.maxLength(64), v.description(description))), undefined);
const link = { s: linkPart('The site key of the check-in link.'), k: linkPart("The store's check-in key, from the poster.") };
const CheckinPageQuery = v.object(link);
/** What the check-in page posts: the link's site and key, and the visitor id the script tag keeps. */
const CheckinBody = v.object({ ...link, v: v.pipe(visitorId, v.description("The visitor id from the phone's localStorage (the script tag's).")) });

/** `POST /checkin/:store` answers this: 201 when recorded now, 200 when already recorded today. */
interface SelfCheckinResult {
  arrival: ArrivalJson;
  lead: { code: string } | null; // the lead code to show, nothing of its screening
  duplicate: boolean;
  store: { id: string; name: string };
}

const example: SelfCheckinResult = { ...arrivalExample, arrival: { ...arrivalExample.arrival, method: 'self' }, lead: { code: '2Y649R' }, store: { id: 'sh-xuhui', name: '徐汇店' } };

/** The site and store of a check-in URL if its key is the store's current one; else null. */
async function verified(db: D1Database, siteKey: string | undefined, storeId: string, key: string | undefined): Promise<{ site: Site; store: Store } | null> {
  if (!siteKey || !key) return null;
  const [site, store, expected] = await Promise.all([getSite(db, siteKey), getStore(db, siteKey, storeId), findCheckinKey(db, siteKey, storeId)]);
  if (!site || !store || !expected || !(await secretEquals(key, expected))) return null;
  return { site, store };
}

// The CSP, Referrer-Policy and nosniff of these pages come from worker/security-headers.ts.
const html = (c: Context, body: string, status: 200 | 403 = 200) =>
  c.html(body, status, { 'cache-control': 'no-store', 'x-frame-options': 'DENY' });

const tag = 'Self check-in';
const page = (summary: string, example: string) =>
  describe({ tag, auth: 'none', summary, description: 'A link that is not (or no longer) valid answers 403 with a page that says so.', ok: { media: 'text/html', example } });

// The pages' stylesheet and script (no dot in a store id, so no store shadows them).
const asset = (type: string, body: string) => (c: Context) =>
  c.body(body, 200, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'public, max-age=3600' });
const firstLine = (s: string) => `${s.split('\n')[0]}…`;
checkin.get('/checkin.css', describe({ tag, auth: 'none', summary: "The check-in pages' stylesheet", ok: { media: 'text/css', example: firstLine(CHECKIN_CSS) } }), asset('text/css', CHECKIN_CSS));
checkin.get('/checkin.js', describe({ tag, auth: 'none', summary: "The check-in pages' script", ok: { media: 'text/javascript', example: firstLine(CHECKIN_SCRIPT) } }), asset('text/javascript', CHECKIN_SCRIPT));

const STALE = '这个二维码已失效，请告诉门店顾问您的预约码。 This QR code is no longer valid: please tell the staff your appointment code.';

checkin.get('/:store', page('The check-in page a scan of the poster opens', '<!doctype html><html lang="zh-CN">…<h1>徐汇店</h1><p id="wait">正在签到… Checking you in…</p>…</html>'), query(CheckinPageQuery), async (c) => {
  const { s, k } = c.req.valid('query');
  const ok = await verified(c.env.DB, s, c.req.param('store'), k);
  if (!ok) return html(c, errorPage(STALE), 403);
  return html(c, checkinPage(ok.site, ok.store, k!));
});

checkin.get('/:store/poster', page('The printable poster with its QR code', '<!doctype html><html lang="zh-CN">…<h2>扫码签到 · Scan to check in</h2><div class="qr"><svg …></svg></div>…</html>'), query(CheckinPageQuery), async (c) => {
  const { s, k } = c.req.valid('query');
  const ok = await verified(c.env.DB, s, c.req.param('store'), k);
  if (!ok) return html(c, errorPage(STALE), 403);
  const url = checkinUrl(new URL(c.req.url).origin, ok.site.siteKey, ok.store.storeId, k!);
  return html(c, posterPage(ok.site, ok.store, qrSvg(url)));
});

checkin.post(
  '/:store',
  describe({
    tag, auth: 'none', summary: "Check the phone's visitor in at the store (the check-in page posts it)",
    description: 'One arrival per person, store and local day: a second check-in the same day answers 200 with `duplicate: true`. The answer shows the lead code to the customer and nothing of its screening.',
    ok: { status: 201, description: 'Recorded (200 when already recorded today)', example },
    errors: { 403: 'The link is not (or no longer) valid (`invalid_checkin_key`)' },
  }),
  json(CheckinBody, { max: 2048 }),
  async (c) => {
    const b = c.req.valid('json');
    const ok = await verified(c.env.DB, b.s, c.req.param('store'), b.k);
    if (!ok) throw new ApiError(403, 'invalid_checkin_key', 'this check-in link is not (or no longer) valid for the store');
    const out = await recordArrival(c.env.DB, ok.site, { visitor: b.v, store: ok.store.storeId }, 'self', (p) => c.executionCtx.waitUntil(p));
    // The poster's key is public by design: the phone gets its own arrival and the
    // lead code to show, nothing of the lead's screening (note, status, form fields).
    const res: SelfCheckinResult = { ...out, lead: out.lead && { code: out.lead.code }, store: { id: ok.store.storeId, name: ok.store.name } };
    return c.json(res, out.duplicate ? 200 : 201);
  },
);
