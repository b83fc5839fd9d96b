// /api/v1/reports/*: channel conversion, regional SKU interest, stocking lists
// and the weight fit. Report tokens see only their sites; admin sees all. A
// report token that names stores counts only those stores' leads, arrivals and
// deals; the online stages (before a customer picks a store) stay site-wide.
import { Hono, type Context } from 'hono';
import { assertSite, requireToken, type AuthEnv } from '../auth/tokens';
import type { Level } from '../reports/sku-sql';
import { getWeights, setWeights } from '../db/weights';
import { ApiError, badRequest } from '../errors';
import { CHANNEL_COLUMNS, channelRows } from '../reports/channels';
import { csvResponse, toCsv } from '../reports/csv';
import { fitWeights } from '../reports/fit';
import { DEFAULT_WEIGHTS, parseWeights, type Weights } from '../reports/score';
import { correlation, present, scoreSkuRows, SKU_COLUMNS, skuRows, withMedians } from '../reports/sku';
import { isDay } from '../time';
import { field, jsonBody } from '../middleware/body';
import { dayRange } from './params';
import { format, oneOf, positiveInt, siteGroup } from './report-params';
import { storeScope } from './scope';

export const reports = new Hono<AuthEnv>();

reports.use('*', requireToken('report'));

reports.get('/channels', async (c) => {
  const sites = siteGroup(c, c.get('principal'));
  const { from, to } = dayRange(c);
  const attribution = oneOf(c, 'attribution', ['last', 'first'] as const, 'last');
  const by = oneOf(c, 'by', ['channel', 'campaign', 'promoter', 'store'] as const, 'channel');
  const fmt = format(c);
  const rows = await channelRows(c.env.DB, sites, from, to, by, attribution, storeScope(c.get('principal')));
  if (fmt === 'csv') return csvResponse(toCsv(CHANNEL_COLUMNS(by), rows), `channels-${from}-${to}`);
  return c.json({ site: sites.join(','), sites, from, to, attribution, by, rows });
});

/** The weights a request scores with: `weights=` override, else the (first) site's own, else the defaults. */
async function weightsFor(db: D1Database, site: string, param: string | undefined): Promise<{ weights: Weights; source: string }> {
  if (param) return { weights: parseWeights(param), source: 'parameter' };
  const own = await getWeights(db, site);
  return own ? { weights: own, source: 'site' } : { weights: DEFAULT_WEIGHTS, source: 'default' };
}

/** `allMedians`: read every row's median with the signals (a full list); else only the kept rows'. */
async function interest(c: Context<AuthEnv>, allMedians: boolean) {
  const sites = siteGroup(c, c.get('principal'));
  const { from, to } = dayRange(c);
  const level = oneOf(c, 'level', ['region', 'city'] as const, 'region') as Level;
  const place = c.req.query('region') || null;
  const top = positiveInt(c, 'top', 1000);
  const w = await weightsFor(c.env.DB, sites[0], c.req.query('weights'));
  const scored = scoreSkuRows(await skuRows(c.env.DB, sites, from, to, level, place, storeScope(c.get('principal')), allMedians), w.weights);
  const kept = top ? scored.filter((r) => r.rank <= top) : scored;
  if (!allMedians) await withMedians(c.env.DB, sites, from, to, level, place, kept, kept.length === scored.length);
  return { sites, from, to, level, place, top, w, scored, kept };
}

reports.get('/sku-interest', async (c) => {
  const fmt = format(c);
  const r = await interest(c, true);
  const rows = r.kept.map((x) => present(x, r.level, false));
  if (fmt === 'csv') return csvResponse(toCsv(SKU_COLUMNS(r.level), rows), `sku-interest-${r.from}-${r.to}`);
  return c.json({
    site: r.sites.join(','), from: r.from, to: r.to, level: r.level, region: r.place, top: r.top,
    weights: r.w.weights, weightsSource: r.w.source, correlation: correlation(r.scored), rows,
  });
});

reports.get('/stocking', async (c) => {
  if (!c.req.query('top')) throw badRequest('missing_parameter', 'query parameter "top" is required');
  const fmt = format(c);
  const r = await interest(c, false);
  if (fmt === 'csv') {
    const flat = r.kept.map((x) => {
      const { parts, ...rest } = present(x, r.level, true) as Record<string, unknown> & { parts: Record<string, number> };
      return { ...rest, ...Object.fromEntries(Object.entries(parts).map(([k, v]) => [`${k}Part`, v])) };
    });
    const cols = [r.level, 'rank', 'sku', 'score', 'viewsPart', 'visitorsPart', 'dwellMsPart', 'consultsPart', 'appointmentsPart', 'units', 'revenue'];
    return csvResponse(toCsv(cols, flat), `stocking-${r.from}-${r.to}`);
  }
  // One entry per place, its top N in rank order with the score's parts.
  const places = new Map<string, ReturnType<typeof present>[]>();
  for (const x of r.kept) places.set(x.place, [...(places.get(x.place) ?? []), present(x, r.level, true)]);
  return c.json({
    site: r.sites.join(','), from: r.from, to: r.to, level: r.level, top: r.top, weights: r.w.weights,
    [r.level === 'city' ? 'cities' : 'regions']: [...places].map(([p, skus]) => ({ [r.level]: p === '' ? null : p, skus })),
  });
});

reports.post('/sku-interest/fit', async (c) => {
  const p = c.get('principal');
  const b = await jsonBody(c);
  const site = field(b, 'site', 64, true);
  assertSite(p, site);
  const from = field(b, 'from', 10, true);
  const to = field(b, 'to', 10, true);
  if (!isDay(from) || !isDay(to) || from > to) throw badRequest('invalid_field', '"from" and "to" must be dates YYYY-MM-DD with from ≤ to');
  const level = (b.level ?? 'region') as Level;
  if (level !== 'region' && level !== 'city') throw badRequest('invalid_field', '"level" must be region or city');
  const target = b.target ?? 'units';
  if (target !== 'units' && target !== 'revenue') throw badRequest('invalid_field', '"target" must be units or revenue');
  if (b.adopt !== undefined && typeof b.adopt !== 'boolean') throw badRequest('invalid_field', '"adopt" must be true or false');
  if (b.adopt && p.kind !== 'admin') throw new ApiError(403, 'forbidden', 'only an admin token can adopt fitted weights');
  const current = (await getWeights(c.env.DB, site)) ?? DEFAULT_WEIGHTS;
  const result = fitWeights(await skuRows(c.env.DB, [site], from, to, level, null, storeScope(p)), current, target);
  if (b.adopt) await setWeights(c.env.DB, site, result.fitted.weights);
  return c.json({ site, from, to, level, ...result, adopted: b.adopt === true });
});
