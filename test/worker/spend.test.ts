// PUT /api/v1/spend: JSON and CSV, days and months, replacement, and refusals.
import { describe, expect, it } from 'vitest';
import { call, createSite, createToken } from './helpers';

const report = async (site: string, token: string, from: string, to: string) => {
  const res = await call(`/api/v1/reports/channels?site=${site}&from=${from}&to=${to}`, { token });
  return Object.fromEntries(((await res.json()) as { rows: { channel: string; spend: number }[] }).rows.map((r) => [r.channel, r.spend]));
};

describe('spend upload', () => {
  it('spreads a month over its days and replaces what is uploaded again', async () => {
    const site = await createSite();
    const token = await createToken('report', [site]);
    const put = (json: unknown) => call('/api/v1/spend', { method: 'PUT', token, json });
    const res = await put({ site, rows: [{ channel: 'baidu_sem', date: '2024-02', amount: 2_900_001 }] });
    expect(await res.json()).toEqual({ site, rows: 1, days: 29 });
    expect(await report(site, token, '2024-02-01', '2024-02-29')).toEqual({ baidu_sem: 2_900_001 });
    expect(await report(site, token, '2024-02-01', '2024-02-01')).toEqual({ baidu_sem: 100_001 });
    expect(await report(site, token, '2024-02-02', '2024-02-02')).toEqual({ baidu_sem: 100_000 });
    await put({ site, rows: [{ channel: 'baidu_sem', date: '2024-02-02', amount: 7 }] });
    expect(await report(site, token, '2024-02-01', '2024-02-29')).toEqual({ baidu_sem: 2_800_008 });
  });

  it('takes CSV with quoted cells and a BOM', async () => {
    const site = await createSite();
    const token = await createToken('report', [site]);
    const csv = '\uFEFFdate,channel,amount\r\n2024-03-01,"wechat",1000\r\n"2024-03-02",douyin,"250"\r\n';
    const res = await call(`/api/v1/spend?site=${site}`, { method: 'PUT', token, headers: { 'content-type': 'text/csv' }, body: csv });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await report(site, token, '2024-03-01', '2024-03-31')).toEqual({ wechat: 1000, douyin: 250 });
  });

  it.each([
    [{ rows: [{ channel: 'wechat', date: '2024-13', amount: 1 }] }, 'invalid_field'],
    [{ rows: [{ channel: 'wechat', date: '2024-01-01', amount: 1.5 }] }, 'invalid_field'],
    [{ rows: [{ channel: 'wechat', date: '2024-01-01', amount: -1 }] }, 'invalid_field'],
    [{ rows: [{ channel: '', date: '2024-01-01', amount: 1 }] }, 'invalid_field'],
    [{ rows: [] }, 'invalid_body'],
    [{ rows: 'x' }, 'invalid_body'],
  ])('refuses %j', async (body, code) => {
    const site = await createSite();
    const token = await createToken('report', [site]);
    const res = await call('/api/v1/spend', { method: 'PUT', token, json: { site, ...body } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code } });
  });

  it('refuses a CSV without the columns, another site, other media types and store tokens', async () => {
    const site = await createSite();
    const token = await createToken('report', [site]);
    const bad = await call(`/api/v1/spend?site=${site}`, { method: 'PUT', token, headers: { 'content-type': 'text/csv' }, body: 'a,b\n1,2\n' });
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid_csv' } });
    const other = await createSite();
    expect((await call('/api/v1/spend', { method: 'PUT', token, json: { site: other, rows: [{ channel: 'x', date: '2024-01-01', amount: 1 }] } })).status).toBe(403);
    expect((await call('/api/v1/spend', { method: 'PUT', token, headers: { 'content-type': 'text/xml' }, body: '<a/>' })).status).toBe(415);
    const storeToken = await createToken('store', [site], ['s1']);
    expect((await call('/api/v1/spend', { method: 'PUT', token: storeToken, json: { site, rows: [] } })).status).toBe(403);
  });
});
