// The morning report's numbers, read through the report code (never raw
// events): yesterday's funnel per channel and per store against the same
// weekday a week earlier, and the top SKUs per region by interest score.
//
// Why the same weekday a week earlier, not the previous 7 days' average: a
// furniture store's week has a shape (weekends bring most visits and most
// arrivals), so a Saturday is compared with a Saturday; and a rate over one
// day is one read of the same report, where an average of seven days' rates
// would weigh a quiet Tuesday as much as a busy Sunday.
import type { ChannelReportRow } from '../../protocol/reports';
import type { Site } from '../db/sites';
import { storeNames } from '../db/robots';
import { getWeights } from '../db/weights';
import { channelRows } from '../reports/channels';
import { DEFAULT_WEIGHTS } from '../reports/score';
import { scoreSkuRows, skuRows } from '../reports/sku';
import { addDays } from './dates';
import { plain } from './format';

export const RATES = ['consultRate', 'appointmentRate', 'arrivalRate', 'closeRate'] as const;
export type Rate = (typeof RATES)[number];
export type Rates = Record<Rate, number | null>;

export interface Funnel extends Rates {
  visitors: number | null; // null for a store: a visitor is not at a store until they arrive
  consults: number | null;
  appointments: number;
  arrivals: number;
  walkIns: number; // arrivals without an appointment: not in the arrival rate
  deals: number;
  revenue: number; // minor units (fen)
}

/** A line of the report: a channel, a store or the whole site, with the same line a week earlier (null when it had none). */
export interface Line {
  key: string; // '' when the report has no key for it (no channel, no store)
  label: string;
  now: Funnel;
  weekAgo: Rates | null;
}

export interface TopSku {
  sku: string;
  visitors: number;
  consults: number;
  appointments: number;
  units: number;
}

export interface MorningNumbers {
  site: { key: string; name: string; currency: string };
  day: string;
  weekAgo: string; // the same weekday a week earlier
  total: Line;
  channels: Line[];
  stores: Line[];
  regions: { region: string; skus: TopSku[] }[]; // most visitors first
}

const TOP_SKUS = 3;

const ratio = (a: number | null, b: number | null): number | null => (a === null || b === null || b <= 0 ? null : a / b);

type Summed = 'visitors' | 'consults' | 'appointments' | 'arrivals' | 'bookedArrivals' | 'walkIns' | 'deals' | 'revenue';

/**
 * The site's whole funnel: the channel rows summed (a visitor who came by two
 * channels in a day counts in both), its rates as the report defines them
 * (protocol/reports.ts: the arrival rate leaves walk-ins out).
 */
function totalOf(rows: ChannelReportRow[]): Funnel {
  const sum = (k: Summed) => rows.reduce((s, r) => s + (r[k] ?? 0), 0);
  const [visitors, consults, appointments, arrivals, deals] = [sum('visitors'), sum('consults'), sum('appointments'), sum('arrivals'), sum('deals')];
  return {
    visitors, consults, appointments, arrivals, walkIns: sum('walkIns'), deals, revenue: sum('revenue'),
    consultRate: ratio(consults, visitors), appointmentRate: ratio(appointments, consults),
    arrivalRate: ratio(sum('bookedArrivals'), appointments), closeRate: ratio(deals, arrivals),
  };
}

const funnel = (r: ChannelReportRow): Funnel => ({
  visitors: r.visitors, consults: r.consults, appointments: r.appointments, arrivals: r.arrivals, walkIns: r.walkIns, deals: r.deals, revenue: r.revenue,
  consultRate: r.consultRate, appointmentRate: r.appointmentRate, arrivalRate: r.arrivalRate, closeRate: r.closeRate,
});

/** Lines keyed by `by`, each with its row of a week earlier. */
function lines(now: ChannelReportRow[], weekAgo: ChannelReportRow[], by: 'channel' | 'store', label: (k: string, r: ChannelReportRow) => string): Line[] {
  const before = new Map(weekAgo.map((r) => [r[by] ?? '', funnel(r)]));
  return now.map((r) => {
    const key = r[by] ?? '';
    return { key, label: label(key, r), now: funnel(r), weekAgo: before.get(key) ?? null };
  });
}

/** The top SKUs of each region on `day`, ranked with the site's own weights (else the defaults), as the SKU report ranks them. */
async function topSkus(db: D1Database, siteKey: string, day: string): Promise<MorningNumbers['regions']> {
  const weights = (await getWeights(db, siteKey)) ?? DEFAULT_WEIGHTS;
  const scored = scoreSkuRows(await skuRows(db, [siteKey], day, day, 'region', null), weights);
  const regions = new Map<string, { region: string; skus: TopSku[]; reach: number }>();
  for (const r of scored) {
    const g = regions.get(r.place) ?? { region: r.place, skus: [], reach: 0 };
    g.reach += r.visitors;
    if (r.rank <= TOP_SKUS) g.skus.push({ sku: r.sku, visitors: r.visitors, consults: r.consults, appointments: r.appointments, units: r.units });
    regions.set(r.place, g);
  }
  return [...regions.values()]
    .sort((a, b) => b.reach - a.reach || a.region.localeCompare(b.region))
    .map(({ region, skus }) => ({ region, skus }));
}

/** Everything the morning report of `day` says, for one site. */
export async function morningNumbers(db: D1Database, site: Site, day: string): Promise<MorningNumbers> {
  const weekAgo = addDays(day, -7);
  const read = (d: string, by: 'channel' | 'store') => channelRows(db, [site.siteKey], d, d, by, 'last');
  const [chNow, chBefore, stNow, stBefore, names, regions] = await Promise.all([
    read(day, 'channel'), read(weekAgo, 'channel'), read(day, 'store'), read(weekAgo, 'store'), storeNames(db, site.siteKey), topSkus(db, site.siteKey, day),
  ]);
  const before = totalOf(chBefore);
  return {
    site: { key: site.siteKey, name: site.name, currency: site.currency },
    day, weekAgo,
    total: { key: '', label: '全站', now: totalOf(chNow), weekAgo: chBefore.length ? before : null },
    // A channel reads by the name the site gave its code (抖音直播 for douyin_live), else by its code.
    channels: lines(chNow, chBefore, 'channel', (k, r) => (r.channelName ? plain(r.channelName) : k || '未知渠道')),
    stores: lines(stNow, stBefore, 'store', (k) => (k ? names.get(k) ?? k : '未指定门店')),
    regions,
  };
}
