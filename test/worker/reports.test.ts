// GET /api/v1/reports/channels: access, parameters and counts.
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, call, createSite, createToken, ev, post, today } from './helpers';

let site: string;
let other: string;
let token: string;

beforeAll(async () => {
  site = await createSite();
  other = await createSite();
  token = await createToken('report', [site]);
  await post({
    s: site,
    e: [
      ev({ v: 'a', q: { ch: 'wechat' } }),
      ev({ v: 'a', u: '/sku/1' }), // direct view later: still credited to wechat
      ev({ v: 'b', q: { ch: 'WeChat' } }), // codes are case-insensitive
      ev({ v: 'c' }),
    ],
  });
});

const url = (s: string, from = today(), to = today()) => `/api/v1/reports/channels?site=${s}&from=${from}&to=${to}`;

describe('channel report', () => {
  it('counts distinct visitors and views per credited channel', async () => {
    const res = await call(url(site), { token });
    expect(res.status).toBe(200);
    const { rows } = (await res.json()) as { rows: { channel: string; visitors: number; views: number }[] };
    expect(rows).toEqual([
      expect.objectContaining({ channel: 'wechat', visitors: 2, views: 3 }),
      expect.objectContaining({ channel: 'direct', visitors: 1, views: 1 }),
    ]);
  });

  it('is empty outside the range', async () => {
    const { rows } = (await (await call(url(site, '2020-01-01', '2020-01-31'), { token })).json()) as { rows: unknown[] };
    expect(rows).toEqual([]);
  });

  it('needs a token', async () => {
    const res = await call(url(site));
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('refuses a site the token does not name', async () => {
    const res = await call(url(other), { token });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'forbidden' } });
  });

  it('lets the admin token read any site', async () => {
    expect((await call(url(other), { token: ADMIN })).status).toBe(200);
  });

  it.each([
    ['from=2024-13-01&to=2024-12-01', 'invalid_parameter'],
    ['from=2024-02-30&to=2024-03-01', 'invalid_parameter'],
    ['from=2024-03-02&to=2024-03-01', 'invalid_parameter'],
    ['to=2024-03-01', 'missing_parameter'],
    ['from=9999-12-01&to=9999-12-31', 'invalid_parameter'], // past year 2999: date arithmetic would overflow
    ['from=0099-01-01&to=0099-01-31', 'invalid_parameter'], // Date.UTC reads years below 100 as 19xx
    ['from=2010-01-01&to=2024-01-01', 'range_too_long'],
  ])('refuses %s', async (qs, code) => {
    const res = await call(`/api/v1/reports/channels?site=${site}&${qs}`, { token });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code } });
  });

  it('refuses a far-future range on the SKU reports instead of looping on it', async () => {
    for (const path of ['sku-interest', 'stocking']) {
      const res = await call(`/api/v1/reports/${path}?site=${site}&from=9999-12-01&to=9999-12-31&top=5`, { token });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'invalid_parameter' } });
    }
  });
});
