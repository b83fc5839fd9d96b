// Token scopes are exact: a store is a (site, store) pair, a token that names
// stores sees only those stores (its session, the leads, and the leads, arrivals
// and deals the reports count), and the admin API and migration 0007 keep
// older tokens working without widening them.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { authenticate, canStore, sha256Hex } from '../../worker/auth/tokens';
import { newLeadCode } from '../../worker/flows/lead-code';
import { ADMIN, call, createSite, today } from './helpers';

let a: string;
let b: string;
const day = today();

async function token(json: Record<string, unknown>): Promise<Response> {
  return call('/api/v1/admin/tokens', { method: 'POST', token: ADMIN, json });
}
async function secret(json: Record<string, unknown>): Promise<string> {
  const res = await token(json);
  if (res.status !== 201) throw new Error(`token: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}
const putStore = (site: string, store: string, region: string) =>
  call(`/api/v1/admin/sites/${site}/stores/${store}`, { method: 'PUT', token: ADMIN, json: { name: `${site}/${store}`, region, city: region } });
const arrive = (t: string, site: string, store: string, visitor = `walk-${store}`) =>
  call('/api/v1/arrivals', { method: 'POST', token: t, json: { site, store, visitor } });
const deal = (t: string, site: string, store: string, amount: number, sku: string) =>
  call('/api/v1/deals', { method: 'POST', token: t, headers: { 'idempotency-key': `${site}-${store}-${amount}` }, json: { site, store, visitor: `walk-${store}`, amount, skus: [sku] } });

/** A lead as the appointment path leaves it (inserted directly: how leads are made is not under test here). */
async function lead(site: string, store: string | null): Promise<string> {
  const code = newLeadCode();
  await env.DB.prepare('INSERT INTO leads (site_key, code, store_id, created_at, updated_at, day) VALUES (?1, ?2, ?3, ?4, ?4, ?5)')
    .bind(site, code, store, Date.now(), day).run();
  return code;
}

beforeAll(async () => {
  a = await createSite();
  b = await createSite();
  // Store "x" exists in both sites: the case sites × stores got wrong.
  for (const [site, store, region] of [[a, 'x', 'Shanghai'], [a, 'y', 'Beijing'], [b, 'x', 'Guangdong'], [b, 'z', 'Sichuan']]) {
    expect((await putStore(site, store, region)).status).toBe(200);
  }
});

describe('a store is a (site, store) pair', () => {
  it('a store token for a/x and b/z acts for those two, never for b/x', async () => {
    const t = await secret({ kind: 'store', sites: [a, b], stores: [{ site: a, store: 'x' }, { site: b, store: 'z' }] });
    expect([200, 201]).toContain((await arrive(t, a, 'x')).status);
    expect([200, 201]).toContain((await arrive(t, b, 'z')).status);
    const across = await arrive(t, b, 'x');
    expect(across.status).toBe(403); // sites [a, b] × stores [x, z] would have let this through
    expect(await across.json()).toMatchObject({ error: { code: 'forbidden' } });
    expect((await arrive(t, a, 'y')).status).toBe(403);
  });

  it('canStore matches the pair, not the store id', () => {
    const p = { kind: 'store' as const, tokenId: 't', sites: ['a', 'b'], stores: [{ site: 'a', store: 'x' }] };
    expect(canStore(p, 'a', 'x')).toBe(true);
    expect(canStore(p, 'b', 'x')).toBe(false);
    expect(canStore({ ...p, kind: 'report', stores: '*' }, 'b', 'x')).toBe(true);
  });
});

describe('creating tokens', () => {
  it('takes pairs alone and derives the sites from them', async () => {
    const res = await token({ kind: 'store', stores: [{ site: a, store: 'y' }] });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ sites: [a], stores: [{ site: a, store: 'y' }] });
  });

  it('still takes bare store ids with one site, and stores them as pairs', async () => {
    const res = await token({ kind: 'store', sites: [a], stores: ['x', 'y'], label: 'legacy form' });
    expect(res.status).toBe(201);
    const { id, stores } = (await res.json()) as { id: string; stores: unknown };
    expect(stores).toEqual([{ site: a, store: 'x' }, { site: a, store: 'y' }]);
    const row = await env.DB.prepare('SELECT stores FROM tokens WHERE id = ?1').bind(id).first<{ stores: string }>();
    expect(JSON.parse(row!.stores)).toEqual([{ site: a, store: 'x' }, { site: a, store: 'y' }]);
    const listed = (await (await call(`/api/v1/admin/tokens?site=${a}`, { token: ADMIN })).json()) as { tokens: { id: string; stores: unknown }[] };
    expect(listed.tokens.find((t) => t.id === id)?.stores).toEqual([{ site: a, store: 'x' }, { site: a, store: 'y' }]);
  });

  it.each([
    ['bare ids with two sites (which site is "x" of?)', () => ({ kind: 'store', sites: [a, b], stores: ['x'] }), 'ambiguous_store'],
    ['a pair outside the named sites', () => ({ kind: 'store', sites: [a], stores: [{ site: b, store: 'x' }] }), 'invalid_field'],
    ['a store token naming a site it has no store in', () => ({ kind: 'store', sites: [a, b], stores: [{ site: a, store: 'x' }] }), 'invalid_field'],
    ['a pair of an unknown site', () => ({ kind: 'store', stores: [{ site: 'no-such-site', store: 'x' }] }), 'unknown_site'],
    ['a malformed pair', () => ({ kind: 'store', sites: [a], stores: [{ site: a }] }), 'invalid_field'],
    ['a store id that no store could have', () => ({ kind: 'store', sites: [a], stores: ['X Y'] }), 'invalid_field'],
  ])('refuses %s', async (_what, body, code) => {
    const res = await token(body());
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code } });
  });
});

describe('GET /api/v1/session lists only the token’s stores', () => {
  type Session = { stores: unknown; sites: { siteKey: string; stores: { storeId: string }[] }[] };
  const session = async (t: string) => (await (await call('/api/v1/session', { token: t })).json()) as Session;

  it('a store token: its stores, not the others of its site', async () => {
    const s = await session(await secret({ kind: 'store', sites: [a], stores: ['x'] }));
    expect(s.sites.map((x) => x.siteKey)).toEqual([a]);
    expect(s.sites[0].stores.map((x) => x.storeId)).toEqual(['x']);
    expect(s.stores).toEqual([{ site: a, store: 'x' }]);
  });

  it('a store token of two sites: each site with its own pair only', async () => {
    const s = await session(await secret({ kind: 'store', stores: [{ site: a, store: 'y' }, { site: b, store: 'x' }] }));
    expect(Object.fromEntries(s.sites.map((x) => [x.siteKey, x.stores.map((y) => y.storeId)]))).toEqual({ [a]: ['y'], [b]: ['x'] });
  });

  it('a report token that names stores: those; one that names none: every store of its sites', async () => {
    const narrow = await session(await secret({ kind: 'report', sites: [a], stores: ['y'] }));
    expect(narrow.sites[0].stores.map((x) => x.storeId)).toEqual(['y']);
    const wide = await session(await secret({ kind: 'report', sites: [a] }));
    expect(wide.sites[0].stores.map((x) => x.storeId)).toEqual(['x', 'y']);
    expect(wide.stores).toBe('*');
  });
});

describe('a report token that names stores sees only their leads, arrivals and deals', () => {
  let c: string; // a site of its own: no arrivals or deals from the tests above
  let narrow: string;
  let wide: string;
  const codes: Record<string, string> = {};
  beforeAll(async () => {
    c = await createSite();
    for (const [store, region] of [['x', 'Shanghai'], ['y', 'Beijing']]) expect((await putStore(c, store, region)).status).toBe(200);
    narrow = await secret({ kind: 'report', sites: [c], stores: [{ site: c, store: 'x' }] });
    wide = await secret({ kind: 'report', sites: [c] });
    codes.x = await lead(c, 'x');
    codes.y = await lead(c, 'y');
    codes.none = await lead(c, null);
    const staff = await secret({ kind: 'store', sites: [c], stores: ['x', 'y'] });
    for (const [store, amount, sku] of [['x', 100_00, 'sofa-1'], ['y', 300_00, 'bed-9']] as const) {
      expect([200, 201]).toContain((await arrive(staff, c, store, `deal-${store}`)).status);
      const res = await deal(staff, c, store, amount, sku);
      expect(res.status, await res.clone().text()).toBe(201);
    }
  });

  const leadsOf = async (t: string) =>
    ((await (await call(`/api/v1/leads?site=${c}&from=${day}&to=${day}`, { token: t })).json()) as { leads: { code: string }[] }).leads.map((l) => l.code).sort();

  it('lists only its stores’ leads; the wide token lists all three', async () => {
    expect(await leadsOf(narrow)).toEqual([codes.x]);
    expect(await leadsOf(wide)).toEqual([codes.x, codes.y, codes.none].sort());
  });

  it('reads and screens its store’s lead; not another store’s, not an unassigned one, and cannot unassign', async () => {
    expect((await call(`/api/v1/leads/${codes.x}?site=${c}`, { token: narrow })).status).toBe(200);
    expect((await call(`/api/v1/leads/${codes.y}?site=${c}`, { token: narrow })).status).toBe(403);
    expect((await call(`/api/v1/leads/${codes.none}?site=${c}`, { token: narrow })).status).toBe(403);
    const screened = await call(`/api/v1/leads/${codes.x}`, { method: 'PATCH', token: narrow, json: { site: c, status: 'qualified' } });
    expect(screened.status).toBe(200);
    const moved = await call(`/api/v1/leads/${codes.x}`, { method: 'PATCH', token: narrow, json: { site: c, store: 'y' } });
    expect(moved.status).toBe(403);
    const unassigned = await call(`/api/v1/leads/${codes.x}`, { method: 'PATCH', token: narrow, json: { site: c, store: null } });
    expect(unassigned.status).toBe(403);
    expect((await call(`/api/v1/leads/${codes.none}?site=${c}`, { token: wide })).status).toBe(200);
  });

  type Row = Record<string, string | number | null>;
  const channels = async (t: string, by: string) =>
    ((await (await call(`/api/v1/reports/channels?site=${c}&from=${day}&to=${day}&by=${by}`, { token: t })).json()) as { rows: Row[] }).rows;

  it('the channel report by store counts its store only', async () => {
    const rows = await channels(narrow, 'store');
    expect(rows.map((r) => r.store)).toEqual(['x']);
    expect(rows[0]).toMatchObject({ appointments: 1, arrivals: 1, deals: 1, revenue: 100_00 });
    const all = await channels(wide, 'store');
    expect(all.map((r) => r.store).sort()).toEqual([null, 'x', 'y']); // null: the unassigned lead
  });

  it('the channel report by channel counts only its store’s arrivals, deals and revenue', async () => {
    const sum = (rows: Row[], k: string) => rows.reduce((n, r) => n + Number(r[k] ?? 0), 0);
    const mine = await channels(narrow, 'channel');
    expect([sum(mine, 'arrivals'), sum(mine, 'deals'), sum(mine, 'revenue')]).toEqual([1, 1, 100_00]);
    const all = await channels(wide, 'channel');
    expect([sum(all, 'arrivals'), sum(all, 'deals'), sum(all, 'revenue')]).toEqual([2, 2, 400_00]);
  });

  it('SKU interest counts only its store’s units sold', async () => {
    const skus = async (t: string) =>
      ((await (await call(`/api/v1/reports/sku-interest?site=${c}&from=${day}&to=${day}`, { token: t })).json()) as { rows: { sku: string; units: number }[] }).rows
        .filter((r) => r.units > 0).map((r) => r.sku).sort();
    expect(await skus(narrow)).toEqual(['sofa-1']);
    expect(await skus(wide)).toEqual(['bed-9', 'sofa-1']);
  });
});

describe('migration 0007 turns bare store ids into pairs', () => {
  const m = env.TEST_MIGRATIONS.find((x) => x.name.startsWith('0007'))!;
  const rerun = async () => {
    for (const q of m.queries) await env.DB.prepare(q).run();
  };
  const insert = async (id: string, kind: string, sites: string[], stores: unknown[]) => {
    await env.DB.prepare('INSERT INTO tokens (id, hash, kind, sites, stores, label, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0)')
      .bind(id, await sha256Hex(`secret-${id}`), kind, JSON.stringify(sites), JSON.stringify(stores), 'pre-0007').run();
  };
  const storesOf = async (id: string) => JSON.parse((await env.DB.prepare('SELECT stores FROM tokens WHERE id = ?1').bind(id).first<{ stores: string }>())!.stores);

  it('pairs a one-site token’s ids with its site, and a several-site token’s with the sites that have them', async () => {
    const tag = Math.random().toString(36).slice(2, 8);
    await insert(`tok_one_${tag}`, 'store', [a], ['x', 'not-yet-built']);
    await insert(`tok_two_${tag}`, 'store', [a, b], ['x', 'y']);
    await insert(`tok_rep_${tag}`, 'report', [a], []);
    await insert(`tok_new_${tag}`, 'store', [b], [{ site: b, store: 'z' }]);
    await rerun();
    expect(await storesOf(`tok_one_${tag}`)).toEqual([{ site: a, store: 'x' }, { site: a, store: 'not-yet-built' }]);
    // x exists in a and b, y only in a: never (b, y).
    expect(await storesOf(`tok_two_${tag}`)).toEqual(expect.arrayContaining([{ site: a, store: 'x' }, { site: b, store: 'x' }, { site: a, store: 'y' }]));
    expect(await storesOf(`tok_two_${tag}`)).toHaveLength(3);
    expect(await storesOf(`tok_rep_${tag}`)).toEqual([]);
    expect(await storesOf(`tok_new_${tag}`)).toEqual([{ site: b, store: 'z' }]);
    await rerun(); // converted rows are left alone
    expect(await storesOf(`tok_one_${tag}`)).toEqual([{ site: a, store: 'x' }, { site: a, store: 'not-yet-built' }]);
    const p = await authenticate(env.DB, undefined, `secret-tok_two_${tag}`);
    expect(p && canStore(p, b, 'x')).toBe(true);
    expect(p && canStore(p, b, 'y')).toBe(false);
  });

  it('an unconverted row grants no store: bare ids are never read as pairs', async () => {
    const id = `tok_raw_${Math.random().toString(36).slice(2, 8)}`;
    await insert(id, 'store', [a], ['x']);
    const p = await authenticate(env.DB, undefined, `secret-${id}`);
    expect(p?.stores).toEqual([]);
    expect(p && canStore(p, a, 'x')).toBe(false);
  });
});
