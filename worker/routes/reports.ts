// /api/v1/reports/*: channel conversion, regional SKU interest, stocking lists
// and the weight fit. Report tokens see only their sites; admin sees all. A
// report token that names stores counts only those stores' leads, arrivals and
// deals; the online stages (before a customer picks a store) stay site-wide.
// The GET reports read a group of sites (`site=a,b`): report-params.ts.
import { Hono, type Context } from 'hono';
import type * as v from 'valibot';
import {
  channelReportExample, ChannelsQuery, FitBody, fitExample, RATE_GLOSSARY, SkuInterestQuery, skuInterestExample, StockingQuery, stockingExample,
  type ChannelReport, type FitReport, type SkuInterestReport, type SkuReportRow, type StockingPlace, type StockingReport, type Weights,
} from '../../protocol/reports';
import { requireToken } from '../auth/tokens';
import { getWeights, setWeights } from '../db/weights';
import { ApiError } from '../errors';
import { describe } from '../middleware/describe';
import { site, type SiteEnv } from '../middleware/site';
import { json, query } from '../middleware/validate';
import { CHANNEL_COLUMNS, channelRows } from '../reports/channels';
import { csvResponse } from '../reports/csv';
import { reportCsv } from '../reports/csv-headers';
import { periodsOf } from '../reports/periods';
import { fitWeights } from '../reports/fit';
import { DEFAULT_WEIGHTS, parseWeights } from '../reports/score';
import { correlation, present, scoreSkuRows, SKU_COLUMNS, skuRows, withMedians } from '../reports/sku';
import { dayRangeOf } from './params';
import { siteGroup } from './report-params';
import { storeScope } from './scope';

export const reports = new Hono<SiteEnv>();

reports.use('*', requireToken('report'));

const tag = 'Reports';
const csv = 'With `format=csv`, the same rows as CSV (UTF-8 with a BOM, for spreadsheets; money in yuan, `lang=zh-CN` for Chinese headers).';
const series = 'With `period=day|week|month`, a time series: each row carries its `period`, and each period\'s figures are exactly the report of that period alone.';

reports.get(
  '/channels',
  describe({
    tag, auth: 'report', summary: 'The funnel per channel, campaign, promoter or store: visitors to deals, rates, spend and ROI',
    description: `Last- or first-touch attribution, or credit shared by the touches in the window (\`linear\`, \`position\`, \`time_decay\`; by channel only, fractional counts rounded to 2 decimals, money to whole fen). Rates are null when their denominator is 0; \`rates\` explains each (en, zh-CN). ${series} ${csv}`,
    ok: { example: channelReportExample },
  }),
  query(ChannelsQuery),
  async (c) => {
    const q = c.req.valid('query');
    const p = c.get('principal');
    const sites = siteGroup(p, q.site);
    const { from, to } = dayRangeOf(q);
    const period = q.period ?? null;
    const rows = await channelRows(c.env.DB, sites, from, to, q.by, q.attribution, storeScope(p), period);
    if (q.format === 'csv') return csvResponse(reportCsv(CHANNEL_COLUMNS(q.by, period), rows, q.lang), `channels-${from}-${to}`);
    const body: ChannelReport = {
      site: sites.join(','), sites, from, to, attribution: q.attribution, by: q.by,
      ...(period ? { period, periods: periodsOf(from, to, period) } : {}), rates: RATE_GLOSSARY, rows,
    };
    return c.json(body);
  },
);

/** The weights a request scores with: `weights=` override, else the (first) site's own, else the defaults. */
async function weightsFor(db: D1Database, site: string, param: string | undefined): Promise<{ weights: Weights; source: SkuInterestReport['weightsSource'] }> {
  if (param) return { weights: parseWeights(param), source: 'parameter' };
  const own = await getWeights(db, site);
  return own ? { weights: own, source: 'site' } : { weights: DEFAULT_WEIGHTS, source: 'default' };
}

/**
 * `allMedians`: read every row's median with the signals (a full list); else only the kept rows'.
 * `range`: a period of the series instead of the query's range.
 */
async function interest(c: Context<SiteEnv>, q: v.InferOutput<typeof StockingQuery | typeof SkuInterestQuery>, allMedians: boolean,
  range = dayRangeOf(q)) {
  const p = c.get('principal');
  const sites = siteGroup(p, q.site);
  const { from, to } = range;
  const { level } = q;
  const place = q.region || null;
  const top = q.top ?? null;
  // The weights are one small read: made beside the rows', not before them.
  const [w, rows] = await Promise.all([weightsFor(c.env.DB, sites[0], q.weights), skuRows(c.env.DB, sites, from, to, level, place, storeScope(p), allMedians)]);
  const scored = scoreSkuRows(rows, w.weights);
  const kept = top ? scored.filter((r) => r.rank <= top) : scored;
  if (!allMedians) await withMedians(c.env.DB, sites, from, to, level, place, kept, kept.length === scored.length);
  return { sites, from, to, level, place, top, w, scored, kept };
}

reports.get(
  '/sku-interest',
  describe({
    tag, auth: 'report', summary: 'SKUs ranked by interest within each region or city, with what stores sold',
    description: `The score weighs views, visitors, dwell, consults and appointments, each over the place's largest. \`correlation\` is Spearman's rho between score and units sold. ${series} Each period is scored and ranked on its own, its correlation in \`periods\`. ${csv}`,
    ok: { example: skuInterestExample },
  }),
  query(SkuInterestQuery),
  async (c) => {
    const q = c.req.valid('query');
    const { from, to } = dayRangeOf(q);
    // A series reads each period as a range of its own: scored, ranked and correlated within it.
    const spans = q.period ? periodsOf(from, to, q.period) : [{ period: '', from, to }];
    // The full list reads every row's median with the signals; with `top`, only the kept rows' afterwards.
    const parts = await Promise.all(spans.map((s) => interest(c, q, !q.top, s)));
    // present() builds the row by the level's name; its shape is SkuReportRow's.
    const rows = parts.flatMap((r, i) => r.kept.map((x) => {
      const row = present(x, r.level, false) as SkuReportRow;
      return q.period ? { period: spans[i].period, ...row } : row;
    }));
    const cols = [...(q.period ? ['period'] : []), ...SKU_COLUMNS(q.level)];
    if (q.format === 'csv') return csvResponse(reportCsv(cols, rows, q.lang), `sku-interest-${from}-${to}`);
    const r = parts[0];
    const body: SkuInterestReport = {
      site: r.sites.join(','), from, to, level: r.level, region: r.place, top: r.top,
      weights: r.w.weights, weightsSource: r.w.source, correlation: q.period ? null : correlation(r.scored),
      ...(q.period ? { period: q.period, periods: spans.map((s, i) => ({ ...s, correlation: correlation(parts[i].scored) })) } : {}),
      rows,
    };
    return c.json(body);
  },
);

reports.get(
  '/stocking',
  describe({
    tag, auth: 'report', summary: "Each region's or city's top N SKUs to stock, with the score's parts",
    description: `${csv} The CSV has one row per place and SKU, each part in a column of its own.`,
    ok: { example: stockingExample },
  }),
  query(StockingQuery),
  async (c) => {
    const q = c.req.valid('query');
    const r = await interest(c, q, false);
    const rows = r.kept.map((x) => present(x, r.level, true) as SkuReportRow);
    if (q.format === 'csv') {
      const flat = rows.map(({ parts, ...rest }) => ({ ...rest, ...Object.fromEntries(Object.entries(parts!).map(([k, v]) => [`${k}Part`, v])) }));
      const cols = [r.level, 'rank', 'sku', 'score', 'viewsPart', 'visitorsPart', 'dwellMsPart', 'consultsPart', 'appointmentsPart', 'units', 'revenue'];
      return csvResponse(reportCsv(cols, flat, q.lang), `stocking-${r.from}-${r.to}`);
    }
    // One entry per place, its top N in rank order with the score's parts.
    const places = new Map<string, SkuReportRow[]>();
    r.kept.forEach((x, i) => places.set(x.place, [...(places.get(x.place) ?? []), rows[i]]));
    const list: StockingPlace[] = [...places].map(([p, skus]) => ({ [r.level]: p === '' ? null : p, skus }));
    const body: StockingReport = {
      site: r.sites.join(','), from: r.from, to: r.to, level: r.level, top: q.top, weights: r.w.weights,
      ...(r.level === 'city' ? { cities: list } : { regions: list }),
    };
    return c.json(body);
  },
);

reports.post(
  '/sku-interest/fit',
  describe({
    tag, auth: 'report', summary: 'Fit the SKU-interest weights to what stores sold (an admin may adopt them)',
    description: 'Non-negative least squares over every (place, SKU) with its signals as features and units (or revenue) as the target; the current weights are judged scaled by their own best factor. Needs sales of at least 3 (place, SKU) pairs in range.',
    ok: { example: fitExample },
    errors: { 404: 'No such site' },
  }),
  json(FitBody),
  site('json'),
  async (c) => {
    const b = c.req.valid('json');
    const p = c.get('principal');
    const s = c.get('site').siteKey;
    if (b.adopt && p.kind !== 'admin') throw new ApiError(403, 'forbidden', 'only an admin token can adopt fitted weights');
    const [own, rows] = await Promise.all([getWeights(c.env.DB, s), skuRows(c.env.DB, [s], b.from, b.to, b.level, null, storeScope(p))]);
    const result = fitWeights(rows, own ?? DEFAULT_WEIGHTS, b.target);
    if (b.adopt) await setWeights(c.env.DB, s, result.fitted.weights);
    const body: FitReport = { site: s, from: b.from, to: b.to, level: b.level, ...result, adopted: b.adopt };
    return c.json(body);
  },
);
