// GET /o2o.js: the script tag's bundle from the brand's own domain, so the
// script and /collect share an origin and no third party sees a request.
import { Hono } from 'hono';
import type { AppEnv } from '../env';
import { ApiError } from '../errors';
import { describe } from '../middleware/describe';

export const script = new Hono<AppEnv>();

script.get('/o2o.js', describe({
  tag: 'Script tag', auth: 'none', summary: "The script tag's bundle, from the brand's own domain",
  description: 'Fresh for an hour, then stale-while-revalidate for a day; answers 304 to a matching `If-None-Match`. Embed it as `<script defer src="/o2o.js" data-site="demo"></script>`.',
  ok: { media: 'text/javascript', example: '!function(){"use strict";…}();' },
  errors: { 404: 'The bundle is not built (`not_built`)' },
}), async (c) => {
  const asset = await c.env.ASSETS.fetch(new URL('/o2o.js', c.req.url), { headers: c.req.raw.headers });
  if (asset.status === 304) return new Response(null, { status: 304, headers: asset.headers });
  if (!asset.ok) throw new ApiError(404, 'not_built', 'o2o.js is not built: run `npm run build`');
  const res = new Response(asset.body, asset);
  res.headers.set('content-type', 'text/javascript; charset=utf-8');
  // An hour fresh, a day stale-while-revalidate: a fix reaches every storefront
  // within the hour, and no visitor waits on a revalidation.
  res.headers.set('cache-control', 'public, max-age=3600, stale-while-revalidate=86400');
  res.headers.set('access-control-allow-origin', '*');
  res.headers.set('x-content-type-options', 'nosniff');
  return res;
});
