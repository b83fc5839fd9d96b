// CORS on /collect: allowed origins (and the worker's own) pass, preflight
// included; a browser page from anywhere else gets a 403 envelope and no
// Access-Control-Allow-Origin; a request with no Origin (server-side) is accepted.
import { beforeAll, describe, expect, it } from 'vitest';
import { BASE, call, createSite, ev, post, storedEvent } from './helpers';

const SHOP = 'https://shop.example.cn';
const EVIL = 'https://evil.example.com';
let site: string;
beforeAll(async () => {
  site = await createSite({ origins: [SHOP, 'http://localhost:5173'] });
});

const preflight = (origin?: string) =>
  call('/collect', {
    method: 'OPTIONS',
    headers: { ...(origin ? { origin } : {}), 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
  });
const stored = (id: string) => storedEvent(site, id);

describe('preflight', () => {
  it('answers an allowed origin with 204 and the CORS headers', async () => {
    const res = await preflight(SHOP);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('content-type');
    expect(res.headers.get('vary')).toContain('Origin');
  });

  it.each([EVIL, 'null', 'https://shop.example.cn.evil.com', 'http://shop.example.cn'])('refuses %s with a 403 envelope', async (origin) => {
    const res = await preflight(origin);
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(await res.json()).toMatchObject({ error: { code: 'origin_not_allowed' } });
  });

  it('accepts the worker\'s own origin, and refuses a preflight with no Origin', async () => {
    expect((await preflight(BASE)).status).toBe(204);
    const res = await preflight();
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'bad_preflight' } });
  });
});

describe('POST', () => {
  it('stores events from an allowed origin and lets the page read the answer', async () => {
    const e = ev();
    const res = await post({ s: site, e: [e] }, 'application/json', { origin: SHOP });
    expect(res.status).toBe(202);
    expect(res.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(await stored(e.i)).not.toBeNull();
  });

  it('refuses a foreign origin with 403, stores nothing and grants no CORS', async () => {
    const e = ev();
    const res = await post({ s: site, e: [e] }, 'text/plain', { origin: EVIL });
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(await res.json()).toMatchObject({ error: { code: 'origin_not_allowed', message: expect.stringContaining(EVIL) } });
    // The fold is asynchronous: had the refused batch been queued, it would be folded by
    // the time a later accepted one is (one consumer, in order).
    await post({ s: site, e: [ev()] });
    expect(await stored(e.i)).toBeNull();
  });

  it("refuses an origin another site allows: origins are per site", async () => {
    const other = await createSite({ origins: [EVIL] });
    expect((await preflight(EVIL)).status).toBe(204); // some site allows it
    const res = await post({ s: site, e: [ev()] }, 'text/plain', { origin: EVIL });
    expect(res.status).toBe(403);
    const ok = await post({ s: other, e: [ev()] }, 'text/plain', { origin: EVIL });
    expect(ok.status).toBe(202);
  });

  it('refuses an opaque origin ("null": sandboxed frames, file://)', async () => {
    expect((await post({ s: site, e: [ev()] }, 'text/plain', { origin: 'null' })).status).toBe(403);
  });

  it('accepts the worker\'s own origin (script and endpoint on the brand\'s domain)', async () => {
    expect((await post({ s: site, e: [ev()] }, 'text/plain', { origin: BASE })).status).toBe(202);
  });

  it('accepts a request with no Origin: not a browser page, e.g. a server-side sender', async () => {
    const e = ev();
    const res = await post({ s: site, e: [e] });
    expect(res.status).toBe(202);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(await stored(e.i)).not.toBeNull();
  });

  it('a site with no origins accepts no browser page but its own worker origin', async () => {
    const bare = await createSite();
    expect((await post({ s: bare, e: [ev()] }, 'text/plain', { origin: SHOP })).status).toBe(403);
  });
});
