// The aggregates the reports read, kept in step by the fold (worker/ingest/):
// touch_days (channel report), sku_chains and sku_totals (SKU reports), each upserted with
// the difference a batch makes to its visitors' ledger rows, and client_drops.
// They run in the fold's one D1 batch with the visitors' new rows, so a failed
// fold adds nothing at all and a redelivered one finds every id in the ledgers.
import { clientDropsStatement } from './client-drops';
import type { StoredEvent } from '../attribution/model';
import { skuChainsDelta } from './sku-chains';
import { skuPairsInsert, skuTotalsDelta } from './sku-totals';
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

// D1 caps a string (and so a JSON parameter) at 2 MB; a fold's rows are split well below it.
export const MAX_PARAM_BYTES = 512 * 1024;

/**
 * Splits rows into JSON parameters of at most MAX_PARAM_BYTES, never splitting
 * the rows of one key (`keyOf`): the chains are computed per visitor.
 */
export function jsonParts<T>(rows: T[], keyOf: (r: T) => unknown = () => Symbol()): string[] {
  const parts: string[] = [];
  let cur: string[] = [];
  let size = 2;
  for (let i = 0; i < rows.length; ) {
    const key = keyOf(rows[i]);
    const group: string[] = [];
    for (; i < rows.length && (group.length === 0 || keyOf(rows[i]) === key); i++) group.push(JSON.stringify(rows[i]));
    const bytes = group.reduce((n, g) => n + g.length + 1, 0);
    if (cur.length && size + bytes > MAX_PARAM_BYTES) {
      parts.push(`[${cur.join(',')}]`);
      cur = [];
      size = 2;
    }
    cur.push(...group);
    size += bytes;
  }
  if (cur.length) parts.push(`[${cur.join(',')}]`);
  return parts;
}

/** A few statements, whatever the batch size: JSON parameters, so D1's bound-parameter limit never caps a batch. */
export function rollupStatements(
  db: D1Database, siteKey: string, fold: { touchSt: unknown[][]; skuSt: unknown[][]; stored: StoredEvent[] },
): D1PreparedStatement[] {
  const visitor = (r: unknown[]) => r[1];
  const out: D1PreparedStatement[] = [
    ...jsonParts(fold.touchSt, visitor).map((j) => touchDaysDelta(db, siteKey, j)),
    ...jsonParts(fold.skuSt, visitor).flatMap((j) => [skuChainsDelta(db, siteKey, j), skuTotalsDelta(db, siteKey, j), skuPairsInsert(db, siteKey, j)]),
  ];
  const drops = clientDropsStatement(db, siteKey, fold.stored);
  if (drops) out.push(drops);
  return out;
}
