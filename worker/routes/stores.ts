// /api/v1/stores/:store/*: what store staff need to put up the self check-in
// poster: the check-in URL, its QR code as SVG, and a key rotation for when a
// poster's photo has gone round. Store token for that store.
import { Hono, type Context } from 'hono';
import { renderSVG } from 'uqr';
import { CheckinQuery } from '../../protocol/staff';
import { requireToken } from '../auth/tokens';
import { checkinKey, rotateCheckinKey } from '../db/checkin';
import type { Site } from '../db/sites';
import { badRequest } from '../errors';
import { describe } from '../middleware/describe';
import { site, type SiteEnv } from '../middleware/site';
import { query } from '../middleware/validate';
import { assertStoreOf } from './scope';

export const stores = new Hono<SiteEnv>();

stores.use('*', requireToken('store'));

/**
 * Where the QR code points. The check-in page reads the visitor id the script
 * tag keeps in localStorage, which is per origin: the page must be opened on
 * the storefront's origin. Default: the origin this request came to; `origin`
 * may pick one of the site's allowed origins instead.
 */
function checkinOrigin(c: Context, site: Site, asked: string | undefined): string {
  const own = new URL(c.req.url).origin;
  if (!asked || asked === own) return own;
  if (!site.origins.includes(asked)) throw badRequest('invalid_parameter', `"origin" must be this worker's origin or one of the site's allowed origins`);
  return asked;
}

export function checkinUrl(origin: string, siteKey: string, store: string, key: string, page = ''): string {
  return `${origin}/checkin/${encodeURIComponent(store)}${page}?s=${encodeURIComponent(siteKey)}&k=${encodeURIComponent(key)}`;
}

async function target(c: Context<SiteEnv>) {
  const site = c.get('site');
  const store = await assertStoreOf(c, site, c.req.param('store'));
  return { site, store, origin: checkinOrigin(c, site, c.req.query('origin')) };
}

const example = {
  site: 'demo', store: 'sh-xuhui',
  url: 'https://www.example.com/checkin/sh-xuhui?s=demo&k=Hq3v…',
  poster: 'https://www.example.com/checkin/sh-xuhui/poster?s=demo&k=Hq3v…',
};
const tag = 'Store staff';

function links(origin: string, siteKey: string, store: string, key: string) {
  return { url: checkinUrl(origin, siteKey, store, key), poster: checkinUrl(origin, siteKey, store, key, '/poster') };
}

/** The QR code as SVG: quiet zone of 4 modules (the standard's), error correction M. */
export function qrSvg(url: string): string {
  return renderSVG(url, { ecc: 'M', border: 4, pixelSize: 10 });
}

stores.get('/:store/checkin', describe({ tag, auth: 'store', summary: "The store's self check-in link and poster", ok: { example } }), query(CheckinQuery), site('query'), async (c) => {
  const { site, store, origin } = await target(c);
  return c.json({ site: site.siteKey, store, ...links(origin, site.siteKey, store, await checkinKey(c.env.DB, site.siteKey, store)) });
});

stores.get('/:store/qr.svg', describe({ tag, auth: 'store', summary: 'The check-in QR code as SVG', ok: { media: 'image/svg+xml' } }), query(CheckinQuery), site('query'), async (c) => {
  const { site, store, origin } = await target(c);
  const svg = qrSvg(checkinUrl(origin, site.siteKey, store, await checkinKey(c.env.DB, site.siteKey, store)));
  // private: the URL inside carries the store's check-in key.
  return c.body(svg, 200, { 'content-type': 'image/svg+xml; charset=utf-8', 'cache-control': 'private, no-store' });
});

stores.post('/:store/checkin/rotate', describe({ tag, auth: 'store', summary: 'A new check-in key: posters printed before stop working', ok: { example } }), query(CheckinQuery), site('query'), async (c) => {
  const { site, store, origin } = await target(c);
  const key = await rotateCheckinKey(c.env.DB, site.siteKey, store);
  return c.json({ site: site.siteKey, store, ...links(origin, site.siteKey, store, key) });
});
