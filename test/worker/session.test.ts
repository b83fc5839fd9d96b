// GET /api/v1/session: the dashboard's sign-in check and site list, scoped to the token.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { ADMIN, call, createSite, createToken } from './helpers';

describe('GET /api/v1/session', () => {
  it('lists only the sites a report token may read, with their stores', async () => {
    const mine = await createSite();
    const other = await createSite();
    const put = await call(`/api/v1/admin/sites/${mine}/stores/sh-1`, { method: 'PUT', token: ADMIN, json: { name: '上海店', region: 'Shanghai', city: 'Shanghai' } });
    expect(put.status).toBe(200);
    const token = await createToken('report', [mine]);
    const res = await call('/api/v1/session', { token });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { kind: string; sites: { siteKey: string; stores: { storeId: string; name: string; region: string }[] }[] };
    expect(body.kind).toBe('report');
    expect(body.sites.map((s) => s.siteKey)).toEqual([mine]);
    expect(body.sites[0].stores).toEqual([{ storeId: 'sh-1', name: '上海店', region: 'Shanghai', city: 'Shanghai' }]);
    expect(JSON.stringify(body)).not.toContain(token);
    expect(body.sites.some((s) => s.siteKey === other)).toBe(false);
  });

  it('refuses a missing or unknown token with the error envelope', async () => {
    for (const token of [undefined, 'o2o_r_not-a-real-token']) {
      const res = await call('/api/v1/session', { token });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    }
  });
});

// SELF.fetch enters the worker itself; the assets router in front of it is
// wrangler's, so the page is asked of the ASSETS binding (the e2e test loads it through wrangler dev).
describe('/dashboard in the static assets', () => {
  it('serves the dashboard page at /dashboard (no run_worker_first), with its bundle', async () => {
    const page = await env.ASSETS.fetch('http://o2o.test/dashboard');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<div id="app">');
    expect(html).toContain('/dashboard/app.js');
    const js = await env.ASSETS.fetch('http://o2o.test/dashboard/app.js');
    expect(js.status).toBe(200);
    expect((await js.text()).length).toBeGreaterThan(100_000); // the app and its ECharts build, bundled, no CDN
  });
});
