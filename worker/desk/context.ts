// Who the agent is talking to: the visitor's touches, place and device (the
// visitors row), their days and SKUs (the row's ledger: per day and per SKU,
// the fold's own sums), the pages of their last active day with engaged dwell
// (that day's event chunks, the newest few only) and their earlier leads.
// Every list is bounded: a read costs the same for a visitor of two years.
import type { VisitorContext } from '../../protocol/desk';
import { gunzipLines, type ChunkLine } from '../archive/chunks';
import { parseLedger } from '../ingest/ledger';

const MAX_DAYS = 30;
const MAX_SKUS = 20;
const MAX_PAGES = 30;
const MAX_LEADS = 20;
// A busy site folds many chunks a day; the visitor's last pages are in the newest.
const MAX_CHUNKS = 12;

interface VisitorRow {
  first_seen: number;
  last_seen: number;
  first_channel: string;
  first_campaign: string | null;
  last_channel: string;
  last_campaign: string | null;
  region: string | null;
  city: string | null;
  device: string | null;
  ledger: string | null;
}

const iso = (ms: number) => new Date(ms).toISOString();

export async function visitorContext(db: D1Database, site: string, c: string, visitor: string, page: string | null, sku: string | null): Promise<VisitorContext> {
  const [v, leads] = await db.batch([
    db.prepare(`SELECT first_seen, last_seen, first_channel, first_campaign, last_channel, last_campaign, region, city, device, ledger
                FROM visitors WHERE site_key = ?1 AND visitor_id = ?2`).bind(site, visitor),
    db.prepare(`SELECT code, store_id, status, created_at FROM leads WHERE site_key = ?1 AND visitor_id = ?2
                ORDER BY created_at DESC LIMIT ?3`).bind(site, visitor, MAX_LEADS),
  ]);
  const row = (v.results[0] as VisitorRow | undefined) ?? null;
  const ledger = parseLedger(row?.ledger);
  // Day rows are per day and touch pair: one line a day, the day's credited channel.
  const days = new Map<string, VisitorContext['visitDays'][number]>();
  for (const [day, channel, , , , , , views, consults, appointments] of ledger.d) {
    const d = days.get(day) ?? { day, channel, views: 0, consults: 0, appointments: 0 };
    d.views += views;
    d.consults += consults;
    d.appointments += appointments;
    days.set(day, d);
  }
  const skus = new Map<string, VisitorContext['skus'][number]>();
  for (const [day, , , s, views, dwellMs] of ledger.k) {
    const k = skus.get(s) ?? { sku: s, views: 0, dwellMs: 0, lastDay: day };
    k.views += views;
    k.dwellMs += dwellMs;
    if (day > k.lastDay) k.lastDay = day;
    skus.set(s, k);
  }
  const visitDays = [...days.values()].sort((a, b) => (a.day < b.day ? 1 : -1)).slice(0, MAX_DAYS);
  return {
    conversation: c, visitor, known: row !== null,
    firstChannel: row?.first_channel ?? null, firstCampaign: row?.first_campaign ?? null,
    lastChannel: row?.last_channel ?? null, lastCampaign: row?.last_campaign ?? null,
    region: row?.region ?? null, city: row?.city ?? null, device: row?.device ?? null,
    firstSeen: row ? iso(row.first_seen) : null, lastSeen: row ? iso(row.last_seen) : null,
    page, sku,
    visitDays,
    skus: [...skus.values()].sort((a, b) => b.dwellMs - a.dwellMs || b.views - a.views).slice(0, MAX_SKUS),
    pages: visitDays.length ? await lastPages(db, site, visitor, visitDays[0].day) : [],
    leads: (leads.results as { code: string; store_id: string | null; status: string; created_at: number }[]).map((l) => ({
      code: l.code, store: l.store_id, status: l.status, createdAt: iso(l.created_at),
    })),
  };
}

/** The visitor's page views of `day`, newest first, each with its engaged dwell (the dwell events of its page view). */
async function lastPages(db: D1Database, site: string, visitor: string, day: string): Promise<VisitorContext['pages']> {
  const { results } = await db
    .prepare('SELECT body FROM event_chunks WHERE site_key = ?1 AND day = ?2 ORDER BY created_at DESC LIMIT ?3')
    .bind(site, day, MAX_CHUNKS)
    .all<{ body: ArrayBuffer | number[] }>();
  const views = new Map<string, { path: string; sku: string | null; ts: number; dwellMs: number }>();
  const dwell = new Map<string, number>();
  for (const r of results) {
    for (const e of await gunzipLines<ChunkLine>(r.body instanceof ArrayBuffer ? r.body : new Uint8Array(r.body).buffer)) {
      if (e.visitor !== visitor || !e.pageview) continue;
      if (e.type === 'view' && e.path) views.set(e.pageview, { path: e.path, sku: e.sku, ts: e.ts, dwellMs: 0 });
      else if (e.type === 'dwell') dwell.set(e.pageview, (dwell.get(e.pageview) ?? 0) + (Number(e.data?.d) || 0));
    }
  }
  return [...views]
    .map(([pv, p]) => ({ path: p.path, sku: p.sku, at: iso(p.ts), dwellMs: p.dwellMs + (dwell.get(pv) ?? 0) }))
    .sort((a, b) => (a.at < b.at ? 1 : -1))
    .slice(0, MAX_PAGES);
}
