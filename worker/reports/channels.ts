// The channel-conversion rows: stage counts merged from the online rollup and
// the offline tables, then the rates, average deal, uplift, spend, costs and ROI;
// by channel, each code's display name as the site set it (db/channel-names.ts).
// Every ratio is null when its denominator is 0 (never a misleading 0 or ∞).
// With a period, every source is grouped by period as well as by key, and each
// period's row is the report of that period alone (reports/periods.ts).
import { MULTI_TOUCH, type ChannelReportRow } from '../../protocol/reports';
import type { StorePair } from '../auth/tokens';
import { channelNamesOf } from '../db/channel-names';
import { badRequest } from '../errors';
import { arrivalCredit, dealCredit, onlineCredit, type MultiTouch } from './channels-credit';
import {
  arrivalCounts, dealCounts, leadCountsByStore, onlineCounts, spendCounts, type Attribution, type GroupBy, type OfflineCounts, type OnlineCounts,
  type SingleTouch,
} from './channels-sql';
import { periodsOf, type Period } from './periods';

const ratio = (a: number, b: number): number | null => (b > 0 ? Math.round((a / b) * 1e6) / 1e6 : null);
const money = (a: number, b: number): number | null => (b > 0 ? Math.round(a / b) : null);
// The shared models' counts are fractional: rounded in the answer only (rates from the sums), money to whole fen.
const COUNTS = ['visitors', 'views', 'consults', 'appointments', 'arrivals', 'bookedArrivals', 'walkIns', 'deals'] as const;
const cents = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);
function rounded(r: ChannelReportRow): ChannelReportRow {
  const out = { ...r, revenue: Math.round(r.revenue) };
  for (const c of COUNTS) (out as Record<string, unknown>)[c] = cents(r[c]);
  return out;
}
const isMulti = (a: Attribution): a is MultiTouch => (MULTI_TOUCH as readonly string[]).includes(a);
const none = Promise.resolve([] as OfflineCounts[]);

/**
 * One row from a key's counts. By store there is no online stage: a visitor is not at a store until they arrive.
 * By channel the row names the code's display name (`names`: the sites' own) beside it.
 */
function row(by: GroupBy, k: string, names: Map<string, string>, o: OnlineCounts | undefined, ar: OfflineCounts | undefined,
  d: OfflineCounts | undefined, le: OfflineCounts | undefined, sp: OfflineCounts | undefined): ChannelReportRow {
  const visitors = by === 'store' ? null : o?.visitors ?? 0;
  const consults = by === 'store' ? null : o?.consults ?? 0;
  const appointments = by === 'store' ? le?.appointments ?? 0 : o?.appointments ?? 0;
  const arrivals = ar?.arrivals ?? 0;
  const booked = ar?.bookedArrivals ?? 0;
  const deals = d?.deals ?? 0;
  const revenue = d?.revenue ?? 0;
  const r: ChannelReportRow = {
    [by]: k === '' ? null : k,
    ...(by === 'channel' ? { channelName: names.get(k) ?? null } : {}),
    visitors, views: by === 'store' ? null : o?.views ?? 0, consults, appointments,
    arrivals, bookedArrivals: booked, walkIns: arrivals - booked, deals, revenue,
    consultRate: consults === null || visitors === null ? null : ratio(consults, visitors),
    appointmentRate: consults === null ? null : ratio(appointments, consults),
    arrivalRate: ratio(booked, appointments), // walk-ins made no appointment: they are not in its denominator
    closeRate: ratio(deals, arrivals),
    avgDeal: money(revenue, d?.dealCount ?? 0),
    uplift: ratio(d?.upliftOver ?? 0, d?.upliftBudget ?? 0),
  };
  if (by === 'channel') {
    const s = sp?.spend ?? 0;
    Object.assign(r, {
      spend: s,
      costPerConsult: s > 0 ? money(s, consults ?? 0) : null,
      costPerAppointment: s > 0 ? money(s, appointments) : null,
      costPerArrival: s > 0 ? money(s, arrivals) : null,
      costPerDeal: s > 0 ? money(s, deals) : null,
      roi: ratio(revenue - s, s),
    });
  }
  return r;
}

/**
 * `stores`: a token's pairs, to count only their leads, arrivals and deals; the
 * online stages stay site-wide. `period`: one row per key and period (with
 * `period` set to its label), periods in order; without it, one row per key.
 */
export async function channelRows(
  db: D1Database, sites: string[], from: string, to: string, by: GroupBy, attr: Attribution, stores: StorePair[] | null = null,
  period: Period | null = null,
): Promise<ChannelReportRow[]> {
  const multi = isMulti(attr) ? attr : null;
  if (multi && by !== 'channel') {
    throw badRequest('invalid_parameter', `attribution=${multi} shares credit among channels: it groups by channel only (by=channel), not by ${by}`);
  }
  const single = attr as SingleTouch;
  const labels = new Map(period ? periodsOf(from, to, period).map((p) => [p.from, p.period]) : []);
  const [names, ...sources] = await Promise.all([
    by === 'channel' ? channelNamesOf(db, sites) : new Map<string, string>(),
    multi ? onlineCredit(db, sites, from, to, multi, period) : by === 'store' ? none : onlineCounts(db, sites, from, to, by, single, period),
    multi ? arrivalCredit(db, sites, from, to, multi, stores, period) : arrivalCounts(db, sites, from, to, by, single, stores, period),
    multi ? dealCredit(db, sites, from, to, multi, stores, period) : dealCounts(db, sites, from, to, by, single, stores, period),
    by === 'store' ? leadCountsByStore(db, sites, from, to, stores, period) : none,
    by === 'channel' ? spendCounts(db, sites, from, to, period) : none, // a channel with spend and no visitors still costs money
  ]);
  const id = (r: { ps: string; k: string }) => `${r.ps}\u0000${r.k}`;
  const maps = sources.map((rs: { ps: string; k: string }[]) => new Map(rs.map((r) => [id(r), r])));
  const keys = new Map<string, { ps: string; k: string }>();
  for (const rs of sources) for (const r of rs) keys.set(id(r), r);

  const rows = [...keys].map(([key, { ps, k }]) => {
    const whole = row(by, k, names, ...(maps.map((m) => m.get(key)) as [OnlineCounts, OfflineCounts, OfflineCounts, OfflineCounts, OfflineCounts]));
    const r = multi ? rounded(whole) : whole;
    return period ? { period: labels.get(ps) ?? ps, ...r } : r;
  });
  // Periods in order; in each, most buyers first, then most visitors, then by name: a stable order for diffs.
  return rows.sort((a, b) => (a.period ?? '').localeCompare(b.period ?? '') || b.deals - a.deals || (b.visitors ?? 0) - (a.visitors ?? 0)
    || String(a[by] ?? '').localeCompare(String(b[by] ?? '')));
}

export const CHANNEL_COLUMNS = (by: GroupBy, period: Period | null = null): string[] => [
  ...(period ? ['period'] : []), by, ...(by === 'channel' ? ['channelName'] : []),
  'visitors', 'views', 'consults', 'appointments', 'arrivals', 'bookedArrivals', 'walkIns', 'deals', 'revenue',
  'consultRate', 'appointmentRate', 'arrivalRate', 'closeRate', 'avgDeal', 'uplift',
  ...(by === 'channel' ? ['spend', 'costPerConsult', 'costPerAppointment', 'costPerArrival', 'costPerDeal', 'roi'] : []),
];
