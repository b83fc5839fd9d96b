// Deals (POST /api/v1/deals, void) and the whole offline chain, in workerd against real D1.
import { beforeAll, describe, expect, it } from 'vitest';
import { splitEvenly } from '../../worker/flows/deals';
import { call, today } from './helpers';
import { book, land, offlineSite, row, rows, type OfflineSite } from './leads-fixtures';

let s: OfflineSite;
beforeAll(async () => {
  s = await offlineSite();
});

let keys = 0;
const deal = (token: string, json: unknown, key: string | null = `receipt-${Date.now()}-${keys++}`) =>
  call('/api/v1/deals', { method: 'POST', token, json, headers: key ? { 'idempotency-key': key } : {} });

interface DealBody {
  deal: { id: string; amount: number; budget: number | null; lead: string | null; visitor: string | null; lastChannel: string; firstChannel: string; voided: boolean; voidReason: string | null; items: { sku: string; qty: number; amount: number }[]; currency: string };
  duplicate: boolean;
}

describe('the offline chain', () => {
  it('carries the visitor’s channel from the landing through appointment, arrival and deal', async () => {
    const v = await land(s.site, 'baidu_sem');
    const code = await book(s.site, v, { store: 'sh-1', budget: 30000, sku: 'SOFA-101' });
    expect((await call('/api/v1/arrivals', { method: 'POST', token: s.sh, json: { lead: code, store: 'sh-1' } })).status).toBe(201);
    const res = await deal(s.sh, { lead: code, store: 'sh-1', amount: 1_000_000, skus: ['SOFA-101', 'TABLE-205', 'BED-330'] });
    expect(res.status).toBe(201);
    const { deal: d } = (await res.json()) as DealBody;
    // Hand-computed: 1,000,000 fen over 3 SKUs → 333,334 + 333,333 + 333,333.
    expect(d).toMatchObject({ lead: code, visitor: v, amount: 1_000_000, budget: 3_000_000, currency: 'CNY', firstChannel: 'baidu_sem', lastChannel: 'baidu_sem', voided: false });
    // The first listed SKU takes the leftover fen; the answer lists items in SKU order.
    expect(d.items).toEqual([
      { sku: 'BED-330', qty: 1, amount: 333_333 },
      { sku: 'SOFA-101', qty: 1, amount: 333_334 },
      { sku: 'TABLE-205', qty: 1, amount: 333_333 },
    ]);
    const stored = await row('SELECT lead_code, visitor_id, store_id, amount, budget, day, last_channel, first_channel, voided_at FROM deals WHERE site_key = ?1 AND id = ?2', s.site, d.id);
    expect(stored).toEqual({ lead_code: code, visitor_id: v, store_id: 'sh-1', amount: 1_000_000, budget: 3_000_000, day: today(), last_channel: 'baidu_sem', first_channel: 'baidu_sem', voided_at: null });
    const { sum } = (await row<{ sum: number }>('SELECT SUM(amount) AS sum FROM deal_items WHERE site_key = ?1 AND deal_id = ?2', s.site, d.id))!;
    expect(sum).toBe(1_000_000);
  });

  it('credits a walk-in’s deal to the channel of the visitor’s online visit', async () => {
    const v = await land(s.site, 'wechat_moments');
    const { deal: d } = (await (await deal(s.bj, { visitor: v, store: 'bj-1', amount: 450_000 })).json()) as DealBody;
    expect(d).toMatchObject({ lead: null, visitor: v, lastChannel: 'wechat_moments', items: [] });
  });
});

describe('splitting a deal over SKUs', () => {
  it('gives the leftover fen to the first entries so the parts sum to the total', () => {
    expect(splitEvenly(100, ['A', 'B', 'C'])).toEqual([{ sku: 'A', qty: 1, amount: 34 }, { sku: 'B', qty: 1, amount: 33 }, { sku: 'C', qty: 1, amount: 33 }]);
    expect(splitEvenly(2, ['A', 'B', 'C'])).toEqual([{ sku: 'A', qty: 1, amount: 1 }, { sku: 'B', qty: 1, amount: 1 }, { sku: 'C', qty: 1, amount: 0 }]);
    // A SKU listed twice is one item with qty 2 and two shares: 1001 → 334 + 334 (A), 333 (B).
    expect(splitEvenly(1001, ['A', 'B', 'A'])).toEqual([{ sku: 'A', qty: 2, amount: 667 }, { sku: 'B', qty: 1, amount: 334 }]);
    for (const [amount, n] of [[999_999, 7], [1, 3], [123_456_789, 50]]) {
      const parts = splitEvenly(amount, Array.from({ length: n }, (_, i) => `S${i}`));
      expect(parts.reduce((a, p) => a + p.amount, 0)).toBe(amount);
    }
  });

  it('takes explicit items with quantities when they sum to the total', async () => {
    const v = await land(s.site, null);
    const res = await deal(s.sh, { visitor: v, store: 'sh-1', amount: 500_000, items: [{ sku: 'SOFA-101', qty: 2, amount: 400_000 }, { sku: 'LAMP-7', amount: 100_000 }] });
    expect(res.status).toBe(201);
    expect(((await res.json()) as DealBody).deal.items).toEqual([{ sku: 'LAMP-7', qty: 1, amount: 100_000 }, { sku: 'SOFA-101', qty: 2, amount: 400_000 }]);
  });
});

describe('idempotency', () => {
  it('records one deal for a repeated request', async () => {
    const v = await land(s.site, 'baidu_sem');
    const body = { visitor: v, store: 'sh-1', amount: 880_000, skus: ['SOFA-101', 'BED-330'] };
    const first = await deal(s.sh, body, 'POS-2026-0001');
    const again = await deal(s.sh, body, 'POS-2026-0001');
    expect([first.status, again.status]).toEqual([201, 200]);
    const [a, b] = [(await first.json()) as DealBody, (await again.json()) as DealBody];
    expect(b.duplicate).toBe(true);
    expect(b.deal).toEqual(a.deal);
    expect(await rows('SELECT id FROM deals WHERE site_key = ?1 AND idempotency_key = ?2', s.site, 'POS-2026-0001')).toEqual([{ id: a.deal.id }]);
    expect((await row<{ n: number }>('SELECT COUNT(*) AS n FROM deal_items WHERE site_key = ?1 AND deal_id = ?2', s.site, a.deal.id))!.n).toBe(2);
  });

  it('refuses a different deal under a used key with 409', async () => {
    const v = await land(s.site, null);
    expect((await deal(s.sh, { visitor: v, store: 'sh-1', amount: 1000 }, 'POS-2026-0002')).status).toBe(201);
    const res = await deal(s.sh, { visitor: v, store: 'sh-1', amount: 2000 }, 'POS-2026-0002');
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: { code: 'idempotency_conflict' } });
  });

  it('names the earlier deal in a 409 only to its own store', async () => {
    const v = await land(s.site, null);
    const first = (await (await deal(s.sh, { visitor: v, store: 'sh-1', amount: 1000 }, 'POS-2026-0003')).json()) as { deal: { id: string } };
    const same = await deal(s.sh, { visitor: v, store: 'sh-1', amount: 3000 }, 'POS-2026-0003');
    expect(await same.json()).toMatchObject({ error: { code: 'idempotency_conflict', details: { deal: first.deal.id } } });
    const other = await deal(s.bj, { visitor: v, store: 'bj-1', amount: 1000 }, 'POS-2026-0003');
    expect(other.status).toBe(409);
    const body = (await other.json()) as { error: Record<string, unknown> };
    expect(body.error.code).toBe('idempotency_conflict');
    expect(body.error.details).toBeUndefined();
  });

  it('requires the Idempotency-Key header', async () => {
    const res = await deal(s.sh, { visitor: 'x', store: 'sh-1', amount: 1000 }, null);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'missing_idempotency_key' } });
  });
});

describe('voiding', () => {
  it('voids with a reason, keeps the row, and refuses a second void', async () => {
    const v = await land(s.site, 'douyin');
    const { deal: d } = (await (await deal(s.sh, { visitor: v, store: 'sh-1', amount: 66_600, skus: ['SOFA-101'] })).json()) as DealBody;
    const res = await call(`/api/v1/deals/${d.id}/void`, { method: 'POST', token: s.sh, json: { reason: '顾客退货 returned' } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as DealBody).deal).toMatchObject({ id: d.id, voided: true, voidReason: '顾客退货 returned', amount: 66_600 });
    const stored = await row<{ voided_at: number; void_reason: string; amount: number }>('SELECT voided_at, void_reason, amount FROM deals WHERE site_key = ?1 AND id = ?2', s.site, d.id);
    expect(stored).toMatchObject({ void_reason: '顾客退货 returned', amount: 66_600 });
    expect(stored!.voided_at).toBeGreaterThan(0);
    expect((await row<{ n: number }>('SELECT COUNT(*) AS n FROM deal_items WHERE site_key = ?1 AND deal_id = ?2', s.site, d.id))!.n).toBe(1);

    const twice = await call(`/api/v1/deals/${d.id}/void`, { method: 'POST', token: s.sh, json: { reason: 'again' } });
    expect(twice.status).toBe(409);
    expect(await twice.json()).toMatchObject({ error: { code: 'already_voided' } });
    const got = (await (await call(`/api/v1/deals/${d.id}`, { token: s.sh })).json()) as DealBody;
    expect(got.deal).toMatchObject({ voided: true, voidReason: '顾客退货 returned' });
  });

  it('needs a reason and a token for the deal’s store', async () => {
    const v = await land(s.site, null);
    const { deal: d } = (await (await deal(s.sh, { visitor: v, store: 'sh-1', amount: 5000 })).json()) as DealBody;
    const noReason = await call(`/api/v1/deals/${d.id}/void`, { method: 'POST', token: s.sh, json: {} });
    expect(noReason.status).toBe(400);
    const wrongStore = await call(`/api/v1/deals/${d.id}/void`, { method: 'POST', token: s.bj, json: { reason: 'x' } });
    expect(wrongStore.status).toBe(403);
    expect(await wrongStore.json()).toMatchObject({ error: { code: 'forbidden' } });
    const otherSite = await offlineSite();
    const unknown = await call(`/api/v1/deals/${d.id}/void`, { method: 'POST', token: otherSite.sh, json: { reason: 'x' } });
    expect(unknown.status).toBe(404);
    expect((await row<{ voided_at: number | null }>('SELECT voided_at FROM deals WHERE site_key = ?1 AND id = ?2', s.site, d.id))!.voided_at).toBeNull();
  });
});

describe('bad deals', () => {
  it('answers each with a 4xx envelope and records nothing', async () => {
    const before = (await row<{ n: number }>('SELECT COUNT(*) AS n FROM deals WHERE site_key = ?1', s.site))!.n;
    const cases: [string, unknown, number, string][] = [
      [s.sh, { visitor: 'v1', store: 'sh-1', amount: 12.5 }, 400, 'invalid_amount'],
      [s.sh, { visitor: 'v1', store: 'sh-1', amount: -1 }, 400, 'invalid_amount'],
      [s.sh, { visitor: 'v1', store: 'sh-1', amount: '1000' }, 400, 'invalid_amount'],
      [s.sh, { visitor: 'v1', store: 'sh-1', amount: 1000, budget: 1.5 }, 400, 'invalid_amount'],
      [s.sh, { visitor: 'v1', store: 'sh-1', amount: 1000, items: [{ sku: 'A', amount: 999 }] }, 400, 'items_mismatch'],
      [s.sh, { visitor: 'v1', store: 'sh-1', amount: 1000, skus: ['A'], items: [] }, 400, 'invalid_field'],
      [s.sh, { visitor: 'v1', store: 'sh-1', amount: 1000, skus: [] }, 400, 'invalid_field'],
      [s.sh, { visitor: 'v1', store: 'sh-1', amount: 1000, skus: ['x'.repeat(65)] }, 400, 'invalid_field'],
      [s.sh, { store: 'sh-1', amount: 1000 }, 400, 'missing_field'],
      [s.sh, { lead: 'ZZZZZZ', store: 'sh-1', amount: 1000 }, 404, 'unknown_lead'],
      [s.bj, { visitor: 'v1', store: 'sh-1', amount: 1000 }, 403, 'forbidden'],
      [s.report, { visitor: 'v1', store: 'sh-1', amount: 1000 }, 403, 'forbidden'],
    ];
    for (const [token, json, status, code] of cases) {
      const res = await deal(token, json);
      expect([JSON.stringify(json), res.status]).toEqual([JSON.stringify(json), status]);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
    }
    expect((await row<{ n: number }>('SELECT COUNT(*) AS n FROM deals WHERE site_key = ?1', s.site))!.n).toBe(before);
  });
});
