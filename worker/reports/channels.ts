// The channel-conversion rows: stage counts merged from the online rollup and
// the offline tables, then the rates, average deal, uplift, spend, costs and ROI.
// Every ratio is null when its denominator is 0 (never a misleading 0 or ∞).
import type { ChannelReportRow } from '../../protocol/reports';
import type { StorePair } from '../auth/tokens';
import {
  arrivalCounts, dealCounts, leadCountsByStore, onlineCounts, type Attribution, type GroupBy,
} from './channels-sql';
import { spendByChannel } from '../db/spend';

const ratio = (a: number, b: number): number | null => (b > 0 ? Math.round((a / b) * 1e6) / 1e6 : null);
const money = (a: number, b: number): number | null => (b > 0 ? Math.round(a / b) : null);

/** `stores`: a token's pairs, to count only their leads, arrivals and deals; the online stages stay site-wide. */
export async function channelRows(
  db: D1Database, sites: string[], from: string, to: string, by: GroupBy, attr: Attribution, stores: StorePair[] | null = null,
): Promise<ChannelReportRow[]> {
  const [online, arrivals, deals, leads, spend] = await Promise.all([
    by === 'store' ? Promise.resolve([]) : onlineCounts(db, sites, from, to, by, attr),
    arrivalCounts(db, sites, from, to, by, attr, stores),
    dealCounts(db, sites, from, to, by, attr, stores),
    by === 'store' ? leadCountsByStore(db, sites, from, to, stores) : Promise.resolve([]),
    by === 'channel' ? spendByChannel(db, sites, from, to) : Promise.resolve(new Map<string, number>()),
  ]);
  const keys = new Set<string>([...online, ...arrivals, ...deals, ...leads].map((r) => r.k));
  for (const k of spend.keys()) keys.add(k); // a channel with spend and no visitors still costs money
  const on = new Map(online.map((r) => [r.k, r]));
  const ar = new Map(arrivals.map((r) => [r.k, r]));
  const de = new Map(deals.map((r) => [r.k, r]));
  const le = new Map(leads.map((r) => [r.k, r]));

  const rows = [...keys].map((k) => {
    const o = on.get(k);
    const d = de.get(k);
    // By store there is no online stage: a visitor is not at a store until they arrive.
    const visitors = by === 'store' ? null : o?.visitors ?? 0;
    const consults = by === 'store' ? null : o?.consults ?? 0;
    const appointments = by === 'store' ? le.get(k)?.appointments ?? 0 : o?.appointments ?? 0;
    const arrivalsN = ar.get(k)?.arrivals ?? 0;
    const dealsN = d?.deals ?? 0;
    const revenue = d?.revenue ?? 0;
    const row: ChannelReportRow = {
      [by]: k === '' ? null : k,
      visitors, views: by === 'store' ? null : o?.views ?? 0, consults, appointments,
      arrivals: arrivalsN, deals: dealsN, revenue,
      consultRate: consults === null || visitors === null ? null : ratio(consults, visitors),
      appointmentRate: consults === null ? null : ratio(appointments, consults),
      arrivalRate: ratio(arrivalsN, appointments),
      closeRate: ratio(dealsN, arrivalsN),
      avgDeal: money(revenue, d?.dealCount ?? 0),
      uplift: ratio(d?.upliftOver ?? 0, d?.upliftBudget ?? 0),
    };
    if (by === 'channel') {
      const s = spend.get(k) ?? 0;
      Object.assign(row, {
        spend: s,
        costPerConsult: s > 0 ? money(s, consults ?? 0) : null,
        costPerAppointment: s > 0 ? money(s, appointments) : null,
        costPerArrival: s > 0 ? money(s, arrivalsN) : null,
        costPerDeal: s > 0 ? money(s, dealsN) : null,
        roi: ratio(revenue - s, s),
      });
    }
    return row;
  });
  // Most buyers first, then most visitors, then by name: a stable order for diffs.
  return rows.sort((a, b) => (b.deals as number) - (a.deals as number) || ((b.visitors as number) ?? 0) - ((a.visitors as number) ?? 0)
    || String(a[by] ?? '').localeCompare(String(b[by] ?? '')));
}

export const CHANNEL_COLUMNS = (by: GroupBy): string[] => [
  by, 'visitors', 'views', 'consults', 'appointments', 'arrivals', 'deals', 'revenue',
  'consultRate', 'appointmentRate', 'arrivalRate', 'closeRate', 'avgDeal', 'uplift',
  ...(by === 'channel' ? ['spend', 'costPerConsult', 'costPerAppointment', 'costPerArrival', 'costPerDeal', 'roi'] : []),
];
