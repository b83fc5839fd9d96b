// GET /api/v1/skus (the store workspace's SKU picker) and GET /api/v1/leads?store=
// (its appointment list): scoped to the token's sites and stores, bounded input.
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, call, createSite, createToken, ev, today } from './helpers';
import { book, collect, land, offlineSite, type OfflineSite } from './leads-fixtures';

let s: OfflineSite;
let other: string; // a second site, with a store token of its own
let otherStore: string;
beforeAll(async () => {
  s = await offlineSite();
  const v = `v_skus_${Date.now()}`;
  // Views of SKU pages (one twice, on two days' worth of pairs) fold into sku_pairs.
  await collect(s.site, ['TABLE-220', 'SOFA-101', 'BED-330', 'SOFA-101'].map((k) => ev({ v, ss: `s_${v}`, u: `/sku/${k}`, k })));
  other = await createSite();
  await call(`/api/v1/admin/sites/${other}/stores/x-1`, { method: 'PUT', token: ADMIN, json: { name: 'X' } });
  otherStore = await createToken('store', [other], ['x-1']);
});

const get = (q: string, token: string) => call(`/api/v1/skus?${q}`, { token });

describe('GET /api/v1/skus', () => {
  it('lists the distinct SKUs of the site, sorted, to a store or report token', async () => {
    for (const token of [s.sh, s.report]) {
      const res = await get(`site=${s.site}`, token);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ site: s.site, skus: ['BED-330', 'SOFA-101', 'TABLE-220'], truncated: false });
    }
  });

  it('takes the site from a token with one site, and caps the list at `limit`', async () => {
    const res = await get('limit=2', s.sh);
    expect(await res.json()).toEqual({ site: s.site, skus: ['BED-330', 'SOFA-101'], truncated: true });
  });

  it('shows a site nothing of another: 403 for a site the token does not have, an empty list for its own', async () => {
    expect((await get(`site=${s.site}`, otherStore)).status).toBe(403);
    expect(await (await get(`site=${other}`, otherStore)).json()).toEqual({ site: other, skus: [], truncated: false });
  });

  it('answers bad input with 400 in the envelope, and no token with 401', async () => {
    for (const q of ['limit=0', 'limit=1001', 'limit=abc', `site=${'x'.repeat(65)}`]) {
      const res = await get(q, s.sh);
      expect(res.status, q).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toMatch(/^invalid_/);
    }
    expect((await call(`/api/v1/skus?site=${s.site}`)).status).toBe(401);
  });
});

describe('GET /api/v1/leads?store=', () => {
  it("narrows to one of the token's stores, and refuses another store with 403", async () => {
    const sh = await book(s.site, await land(s.site, 'baidu_sem'), { store: 'sh-1', date: '2030-01-02' });
    const bj = await book(s.site, await land(s.site, 'baidu_sem'), { store: 'bj-1' });
    const day = today();
    const list = async (store: string, token: string) => call(`/api/v1/leads?site=${s.site}&from=${day}&to=${day}&store=${store}`, { token });
    const codes = async (res: Response) => ((await res.json()) as { leads: { code: string }[] }).leads.map((l) => l.code);
    const mine = await codes(await list('sh-1', s.all));
    expect(mine).toContain(sh);
    expect(mine).not.toContain(bj);
    expect(await codes(await list('bj-1', s.report))).toContain(bj);
    expect((await list('bj-1', s.sh)).status).toBe(403);
    expect((await list('x'.repeat(65), s.sh)).status).toBe(400);
  });
});
