// Rate limits on /collect, per client and per site, through the real Workers
// Rate Limiting bindings (simulated by the test runtime). Each test spends a
// budget on the binding itself, with the very key the worker uses, then posts.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WireEvent } from '../../sdk/protocol';
import { clientKey } from '../../worker/auth/ratelimit';
import { BASE, createSite, ev, post } from './helpers';

const SHOP = 'https://shop.example.cn';
const UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148 Safari/604.1';
let site: string;
beforeAll(async () => {
  site = await createSite({ origins: [SHOP] });
});

/** Spends `key`'s budget on the binding, 100 calls at a time; returns how many succeeded. */
async function exhaust(binding: RateLimit, key: string): Promise<number> {
  let ok = 0;
  for (let round = 0; round < 200; round++) {
    const outcomes = await Promise.all(Array.from({ length: 100 }, () => binding.limit({ key })));
    ok += outcomes.filter((o) => o.success).length;
    if (outcomes.some((o) => !o.success)) return ok;
  }
  throw new Error('the limit never ran out');
}
/**
 * Spends the budget, then posts a fresh event. The limiter counts in fixed 60 s windows,
 * so on a busy machine a window can turn between the two; then the budget is spent again
 * (at most twice more) and another fresh event posted, so the event checked is the one
 * the 429 refused, never one an earlier attempt stored.
 */
async function postWhenSpent(
  binding: RateLimit, key: string, send: (e: WireEvent) => Promise<Response>,
): Promise<{ spent: number; res: Response; e: WireEvent }> {
  for (let attempt = 0; ; attempt++) {
    const spent = await exhaust(binding, key);
    const e = ev();
    const res = await send(e);
    if (res.status === 429 || attempt === 2) return { spent, res, e };
  }
}
const stored = (id: string) => env.DB.prepare('SELECT 1 AS ok FROM events WHERE site_key = ?1 AND id = ?2').bind(site, id).first();

describe('per client', () => {
  it('answers 429 with Retry-After once a client spends its budget; other clients go on', { timeout: 30_000 }, async () => {
    const headers = { 'cf-connecting-ip': '198.51.100.9', 'user-agent': UA };
    const key = (await clientKey(new Request(`${BASE}/collect`, { headers })))!;
    expect(key).toMatch(/^[0-9a-f]{64}$/); // a hash: the IP itself never reaches the limiter
    const { spent, res, e } = await postWhenSpent(env.RL_CLIENT, key, (e) => post({ s: site, e: [e] }, 'text/plain', headers));
    // About the configured 300 (a window may have turned while spending).
    expect(spent).toBeGreaterThan(200);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('60');
    expect(await res.json()).toMatchObject({ error: { code: 'rate_limited', message: expect.stringContaining('60 seconds') } });
    expect(await stored(e.i)).toBeNull();

    // Same IP, another browser: another client (carrier NAT puts many people behind one IP).
    const other = await post({ s: site, e: [ev()] }, 'text/plain', { ...headers, 'user-agent': `${UA} other` });
    expect(other.status).toBe(202);
  });
});

describe('per site', () => {
  it('answers 429 once a site spends its budget, with CORS so the page can read it', { timeout: 120_000 }, async () => {
    const { spent, res, e } = await postWhenSpent(env.RL_SITE, `site:${site}`, (e) => post({ s: site, e: [e] }, 'text/plain', { origin: SHOP }));
    expect(spent).toBeGreaterThan(4000); // about the configured 6,000
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('60');
    expect(res.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(await res.json()).toMatchObject({ error: { code: 'rate_limited', message: expect.stringContaining(site) } });
    expect(await stored(e.i)).toBeNull();

    const fresh = await createSite();
    expect((await post({ s: fresh, e: [ev()] })).status).toBe(202);
  });
});
