// Server-side enrichment: place from request.cf (never the IP), device class,
// received time and the client clock clamp.
import { env, SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { gunzipLines } from '../../worker/archive/chunks';
import { BASE, createSite, ev, foldOf, storedEvent, storedEvents } from './helpers';

let site: string;
beforeAll(async () => {
  site = await createSite();
});

const IP = '203.0.113.77';
const IPV6 = '2001:db8::7';

/** POSTs a batch as Cloudflare's edge would hand it over (request.cf), and waits for its fold. */
async function send(body: { s: string; e: unknown[] }, cf?: Record<string, unknown>, headers: Record<string, string> = {}) {
  const res = await SELF.fetch(`${BASE}/collect`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', ...headers },
    body: JSON.stringify(body),
    ...(cf ? { cf } : {}),
  } as RequestInit);
  await foldOf(body.s, res);
  return res;
}
const row = (id: string) => storedEvent(site, id);

describe('geo and device', () => {
  it('stores country, region and city from request.cf', async () => {
    const e = ev({ v: 'geo-1' });
    const res = await send({ s: site, e: [e] }, { country: 'CN', region: 'Guangdong', city: 'Shenzhen' });
    expect(res.status).toBe(202);
    expect(await row(e.i)).toMatchObject({ country: 'CN', region: 'Guangdong', city: 'Shenzhen' });
    const v = await env.DB.prepare('SELECT country, region, city FROM visitors WHERE site_key = ?1 AND visitor_id = ?2').bind(site, 'geo-1').first();
    expect(v).toEqual({ country: 'CN', region: 'Guangdong', city: 'Shenzhen' });
  });

  it('stores null when cf is absent or says the country is unknown (XX)', async () => {
    const a = ev();
    const b = ev();
    await send({ s: site, e: [a] });
    await send({ s: site, e: [b] }, { country: 'XX' });
    expect(await row(a.i)).toMatchObject({ country: null, region: null, city: null });
    expect(await row(b.i)).toMatchObject({ country: null });
  });

  it.each([
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148 Safari/604.1', 'mobile'],
    ['Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) Safari/604.1', 'tablet'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124.0 Safari/537.36', 'desktop'],
    ['', null],
  ])('device class of %j is %s', async (ua, device) => {
    const e = ev();
    await send({ s: site, e: [e] }, undefined, { 'user-agent': ua });
    expect((await row(e.i))?.device).toBe(device);
  });

  it('never stores the IP address, in any column of any table it writes', async () => {
    const e = ev({ v: 'ip-visitor' });
    const f = ev({ v: 'ip-visitor-6' });
    await send({ s: site, e: [e] }, { country: 'CN' }, { 'cf-connecting-ip': IP, 'x-forwarded-for': IP, 'x-real-ip': IP });
    await send({ s: site, e: [f] }, { country: 'CN' }, { 'cf-connecting-ip': IPV6 });
    // What the fold writes: the visitors (and their ledgers), the event chunks (gzip:
    // read decompressed, in D1 and in R2), the rollups and the counters.
    const dumps: string[] = [JSON.stringify(await storedEvents(site))];
    for (const table of ['visitors', 'bot_hits', 'touch_days', 'sku_chains', 'ingest_days']) {
      const { results } = await env.DB.prepare(`SELECT * FROM ${table} WHERE site_key = ?1`).bind(site).all();
      dumps.push(JSON.stringify(results));
    }
    const { objects } = await env.ARCHIVE.list({ prefix: `events/site=${site}/` });
    expect(objects.length).toBeGreaterThan(0);
    for (const o of objects) dumps.push(JSON.stringify(await gunzipLines((await env.ARCHIVE.get(o.key))!.body)));
    for (const dump of dumps) {
      expect(dump).not.toContain(IP);
      expect(dump).not.toContain(IPV6);
    }
    expect(dumps[0]).toContain(e.i);
    expect(dumps[0]).toContain(f.i);
  });
});

describe('time', () => {
  it('records the received time and clamps the client clock to [received − 7 days, received]', async () => {
    const before = Date.now();
    const future = ev({ ts: before + 3_600_000 });
    const ancient = ev({ ts: before - 30 * 86_400_000 });
    const fine = ev({ ts: before - 60_000 });
    await send({ s: site, e: [future, ancient, fine] });
    const after = Date.now();
    const [f, a, ok] = await Promise.all([row(future.i), row(ancient.i), row(fine.i)]);
    const received = f!.received_at as number;
    expect(received).toBeGreaterThanOrEqual(before);
    expect(received).toBeLessThanOrEqual(after);
    expect(f!.ts).toBe(received);
    expect(a!.ts).toBe(received - 7 * 86_400_000);
    expect(ok!.ts).toBe(fine.ts);
  });
});
