// Importing deals and arrivals from a CRM or POS export (POST /api/v1/deals/import,
// /api/v1/arrivals/import): GBK and UTF-8 CSV, JSON, dry run, per-row errors,
// and a second import of the same file adding nothing. In workerd, real D1.
import { beforeAll, describe, expect, it } from 'vitest';
import type { ImportResult } from '../../protocol/staff';
import { BASE, today } from './helpers';
import { book, land, offlineSite, row, rows, type OfflineSite } from './leads-fixtures';
import { SELF } from 'cloudflare:test';

let s: OfflineSite;
beforeAll(async () => {
  s = await offlineSite();
});

const hex = (h: string) => new Uint8Array(h.match(/../g)!.map((b) => parseInt(b, 16)));
const ascii = (t: string) => new TextEncoder().encode(t);
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let i = 0;
  for (const p of parts) {
    out.set(p, i);
    i += p.length;
  }
  return out;
};
// "订单号,门店,预约码,金额,商品,成交日期" as Chinese Excel saves it (GBK), and "￥" (A3A4).
const GBK_HEADER = hex('b6a9b5a5bac52cc3c5b5ea2cd4a4d4bcc2eb2cbdf0b6ee2cc9ccc6b72cb3c9bdbbc8d5c6da');
const YUAN = hex('a3a4');

async function upload(kind: 'deals' | 'arrivals', body: BodyInit, { dryRun = false, type = 'text/csv', token = s.all } = {}) {
  const res = await SELF.fetch(`${BASE}/api/v1/${kind}/import?site=${s.site}&dryRun=${dryRun}`, {
    method: 'POST', body, headers: { authorization: `Bearer ${token}`, 'content-type': type },
  });
  return { status: res.status, body: (await res.json()) as ImportResult & { error?: { code: string } } };
}

function yesterday(): string {
  return new Date(Date.parse(`${today()}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

describe('importing deals', () => {
  it('reads GBK CSV with Chinese headers: a dry run writes nothing, the import records the good rows, a second import adds nothing', async () => {
    expect(new TextDecoder('gb18030').decode(GBK_HEADER)).toBe('订单号,门店,预约码,金额,商品,成交日期'); // the fixture is GBK
    const v = await land(s.site, 'douyin_live');
    const code = await book(s.site, v, { store: 'sh-1', budget: 4000 }); // the form's budget is in yuan
    const day = yesterday();
    const file = concat(
      GBK_HEADER, ascii('\r\n'),
      ascii(`SO-1,sh-1,${code.toLowerCase()},"`), YUAN, ascii(`13,500.00",SOFA-101;TABLE-205,${day.replaceAll('-', '/')} 15:30\r\n`),
      ascii(`SO-2,sh-1,ZZZZZZ,800,,${day}\r\n`),
      ascii(`SO-3,bj-1,,12.345,,${day}\r\n`),
    );
    const dry = await upload('deals', file, { dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, encoding: 'gbk', counts: { would_create: 1, error: 2, created: 0, duplicate: 0 } });
    expect(dry.body.rows.map((r) => [r.row, r.key, r.status, r.error?.code])).toEqual([
      [1, 'SO-1', 'would_create', undefined],
      [2, 'SO-2', 'error', 'unknown_lead'],
      [3, 'SO-3', 'error', 'invalid_amount'],
    ]);
    expect(await row('SELECT id FROM deals WHERE site_key = ?1', s.site)).toBeNull();

    const real = await upload('deals', file);
    expect(real.body.counts).toEqual({ created: 1, duplicate: 0, would_create: 0, error: 2 });
    const d = await row<{ amount: number; budget: number; day: string; lead_code: string; last_channel: string; id: string }>(
      'SELECT id, amount, budget, day, lead_code, last_channel FROM deals WHERE site_key = ?1 AND idempotency_key = ?2', s.site, 'SO-1');
    // ￥13,500.00 → 1,350,000 fen; the budget from the lead; the day from the file, in the site's zone.
    expect(d).toMatchObject({ amount: 1_350_000, budget: 400_000, day, lead_code: code, last_channel: 'douyin_live' });
    expect(real.body.rows[0]).toMatchObject({ status: 'created', id: d!.id });
    expect(await rows('SELECT sku, amount FROM deal_items WHERE site_key = ?1 AND deal_id = ?2 ORDER BY sku', s.site, d!.id)).toEqual([
      { sku: 'SOFA-101', amount: 675_000 },
      { sku: 'TABLE-205', amount: 675_000 },
    ]);

    const again = await upload('deals', file);
    expect(again.body.counts).toEqual({ created: 0, duplicate: 1, would_create: 0, error: 2 });
    expect(await rows('SELECT id FROM deals WHERE site_key = ?1', s.site)).toHaveLength(1);
  });

  it('reads UTF-8 CSV with a BOM and English headers, and JSON rows in fen', async () => {
    const v = await land(s.site, 'baidu_sem');
    const csv = `\uFEFForder,store,visitor,amount,date\nPOS-77,bj-1,${v},4500,${today()}\n`;
    const a = await upload('deals', csv);
    expect(a.body).toMatchObject({ encoding: 'utf-8', counts: { created: 1 } });
    expect(await row('SELECT amount, visitor_id, last_channel FROM deals WHERE site_key = ?1 AND idempotency_key = ?2', s.site, 'POS-77'))
      .toEqual({ amount: 450_000, visitor_id: v, last_channel: 'baidu_sem' });
    const j = await upload('deals', JSON.stringify({ rows: [{ key: 'API-1', store: 'sh-1', visitor: v, amount: 99_900 }, { store: 'sh-1', amount: 1 }] }), { type: 'application/json' });
    expect(j.body.encoding).toBe('json');
    expect(j.body.rows.map((r) => [r.status, r.error?.code])).toEqual([['created', undefined], ['error', 'missing_field']]);
  });

  it('refuses a row for a store the token may not act for, and keeps the others', async () => {
    const v = await land(s.site, null);
    const csv = `订单号,门店,访客id,金额\nSH-9,sh-1,${v},100\nBJ-9,bj-1,${v},100\n`;
    const out = await upload('deals', csv, { token: s.sh });
    expect(out.body.rows.map((r) => [r.key, r.status, r.error?.code])).toEqual([['SH-9', 'created', undefined], ['BJ-9', 'error', 'forbidden']]);
  });

  it('answers 400 for a file it cannot read as rows', async () => {
    expect((await upload('deals', 'name,price\nsofa,1\n')).body.error?.code).toBe('invalid_csv');
    expect((await upload('deals', '{"rows": 1}', { type: 'application/json' })).body.error?.code).toBe('invalid_field');
  });
});

describe('importing arrivals', () => {
  it('records one arrival per person, store and day, however often the file is imported', async () => {
    const v = await land(s.site, 'xiaohongshu');
    const code = await book(s.site, v, { store: 'sh-1' });
    const csv = `门店,预约码,到店日期\nsh-1,${code},${yesterday()}\nsh-1,${code},${yesterday()}\n`;
    const first = await upload('arrivals', csv);
    expect(first.body.rows.map((r) => r.status)).toEqual(['created', 'duplicate']);
    expect((await upload('arrivals', csv)).body.counts).toMatchObject({ created: 0, duplicate: 2 });
    expect(await rows('SELECT day, last_channel FROM arrivals WHERE site_key = ?1 AND lead_code = ?2', s.site, code)).toEqual([{ day: yesterday(), last_channel: 'xiaohongshu' }]);
  });
});
