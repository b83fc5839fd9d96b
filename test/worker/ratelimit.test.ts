// The rate limit on /collect, per client, through the real Workers Rate Limiting
// binding (simulated by the test runtime). Each test spends a budget on the
// binding itself, with the very key the worker uses, then posts. There is no
// per-site limit any more (issue 16): the queue absorbs a spike, and anyone
// could spend a site's budget for its real visitors.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WireEvent } from '../../protocol/wire';
import { clientKey } from '../../worker/auth/ratelimit';
import { BASE, createSite, ev, post, postOnly, storedEvent } from './helpers';

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
/**
 * The folded event, once a later batch of the site is folded: the consumer folds
 * in order, so a refused batch that had been queued would be stored by then.
 */
async function storedAfterNext(id: string) {
  expect((await post({ s: site, e: [ev()] })).status).toBe(202); // no cf-connecting-ip: not limited
  return storedEvent(site, id);
}

describe('per client', () => {
  it('answers 429 with Retry-After once a client spends its budget, with CORS so the page can read it; other clients go on', { timeout: 30_000 }, async () => {
    const headers = { 'cf-connecting-ip': '198.51.100.9', 'user-agent': UA, origin: SHOP };
    const key = (await clientKey(new Request(`${BASE}/collect`, { headers })))!;
    expect(key).toMatch(/^[0-9a-f]{64}$/); // a hash: the IP itself never reaches the limiter
    const { spent, res, e } = await postWhenSpent(env.RL_CLIENT, key, (e) => post({ s: site, e: [e] }, 'text/plain', headers));
    // About the configured 300 (a window may have turned while spending).
    expect(spent).toBeGreaterThan(200);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('60');
    expect(res.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(await res.json()).toMatchObject({ error: { code: 'rate_limited', message: expect.stringContaining('60 seconds') } });
    expect(await storedAfterNext(e.i)).toBeNull();

    // Same IP, another browser: another client (carrier NAT puts many people behind one IP).
    const other = await post({ s: site, e: [ev()] }, 'text/plain', { ...headers, 'user-agent': `${UA} other` });
    expect(other.status).toBe(202);
  });

  // The limit is checked after validation, on what would be enqueued: an empty batch
  // or one with no valid event costs nothing, so it gets its plain answer, not a 429.
  it('applies only to a batch with a valid event', { timeout: 60_000 }, async () => {
    const headers = { 'cf-connecting-ip': '198.51.100.10', 'user-agent': UA };
    const key = (await clientKey(new Request(`${BASE}/collect`, { headers })))!;
    for (let attempt = 0; ; attempt++) {
      const { res } = await postWhenSpent(env.RL_CLIENT, key, (e) => post({ s: site, e: [e] }, 'text/plain', headers));
      const empty = await post({ s: site, e: [] }, 'text/plain', headers);
      const invalid = await post({ s: site, e: [{ ...ev(), t: 'bogus' } as never] }, 'text/plain', headers);
      const still = await post({ s: site, e: [ev()] }, 'text/plain', headers);
      // Only when the budget stayed spent throughout (a 60 s window can turn on a busy machine) do the answers say anything.
      if ((res.status !== 429 || still.status !== 429) && attempt < 2) continue;
      expect([res.status, still.status]).toEqual([429, 429]);
      expect(empty.status).toBe(202);
      expect(await empty.json()).toEqual({ accepted: 0, duplicates: 0, rejected: [] });
      expect(invalid.status).toBe(202);
      expect(await invalid.json()).toMatchObject({ accepted: 0, rejected: [{ index: 0, code: 'invalid_type' }] });
      return;
    }
  });
});

describe('no per-site limit', () => {
  // The attack of issue 16: empty batches from rotating user agents spent the old
  // per-site budget (6,000 a minute) and real visitors' beacons got 429. Empty
  // batches are shed before anything counts now, and a real beacon is never refused for volume.
  it('a flood of empty batches from rotating clients refuses no real visitor', { timeout: 120_000 }, async () => {
    expect('RL_SITE' in env).toBe(false);
    const FLOOD = 6_500; // past the old per-site budget
    for (let n = 0; n < FLOOD; n += 250) {
      const answers = await Promise.all(Array.from({ length: 250 }, (_, k) =>
        postOnly({ s: site, e: [] }, 'text/plain', { 'cf-connecting-ip': '198.51.100.77', 'user-agent': `${UA} flood-${n + k}`, origin: SHOP })));
      expect(answers.every((r) => r.status === 202)).toBe(true);
    }
    const e = ev();
    const res = await post({ s: site, e: [e] }, 'text/plain', { 'cf-connecting-ip': '198.51.100.78', 'user-agent': UA, origin: SHOP });
    expect(res.status).toBe(202);
    expect(await storedEvent(site, e.i)).not.toBeNull();
  });
});
