// The aggregates the reports read, kept in step by the fold (worker/ingest/):
// touch_days (channel report) and sku_chains (SKU reports), each upserted with
// the difference a batch makes to its visitors' ledger rows, and client_drops.
// They run in the fold's one D1 batch with the visitors' new rows, so a failed
// fold adds nothing at all and a redelivered one finds every id in the ledgers.
import { clientDropsStatement } from './client-drops';
import type { StoredEvent } from './events';
import { skuChainsDelta } from './sku-chains';
import { touchDaysDelta } from './touch-days';

/** What one event adds to the rollups, as the recomputation computes it too. */
export interface RollupFacts {
  views: number;
  consults: number;
  appointments: number;
  dwellMs: number;
  sku: string | null; // the SKU the event is about: its page's SKU, or the SKU an appointment names
}

const num = (x: unknown): number => (typeof x === 'number' && Number.isFinite(x) && x > 0 ? Math.round(x) : 0);

export function rollupFacts(e: Pick<StoredEvent, 'type' | 'sku' | 'data'>): RollupFacts {
  const props = (e.data?.p ?? null) as Record<string, unknown> | null;
  const named = typeof props?.sku === 'string' && props.sku ? props.sku : null;
  return {
    views: e.type === 'view' ? 1 : 0,
    consults: e.type === 'consult' ? 1 : 0,
    appointments: e.type === 'appointment' ? 1 : 0,
    dwellMs: e.type === 'dwell' ? num(e.data?.d) : 0,
    sku: e.sku ?? (e.type === 'appointment' ? named : null),
  };
}

/** Up to three statements, whatever the batch size: one JSON parameter each, so D1's bound-parameter limit never caps a batch. */
export function rollupStatements(
  db: D1Database, siteKey: string, fold: { touchSt: unknown[][]; skuSt: unknown[][]; stored: StoredEvent[] },
): D1PreparedStatement[] {
  const out: D1PreparedStatement[] = [];
  if (fold.touchSt.length) out.push(touchDaysDelta(db, siteKey, JSON.stringify(fold.touchSt)));
  if (fold.skuSt.length) out.push(skuChainsDelta(db, siteKey, JSON.stringify(fold.skuSt)));
  const drops = clientDropsStatement(db, siteKey, fold.stored);
  if (drops) out.push(drops);
  return out;
}
