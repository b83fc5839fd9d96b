// The admin API: sites with their collect settings, stores, and its refusals.
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, call, createSite } from './helpers';

const site = (key: string) => call(`/api/v1/admin/sites/${key}`, { token: ADMIN });
const patch = (key: string, json: unknown) => call(`/api/v1/admin/sites/${key}`, { method: 'PATCH', token: ADMIN, json });

describe('sites', () => {
  let key: string;
  beforeAll(async () => {
    key = await createSite();
  });

  it('creates a site with the defaults: Asia/Shanghai, 30-day window, 90-day retention, no origins, no rules', async () => {
    const res = await site(key);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      site: {
        siteKey: key, name: 'Test Furniture', origins: [], timezone: 'Asia/Shanghai', currency: 'CNY',
        attributionDays: 30, halfLifeDays: 7, retentionDays: 90, channelRules: [], channelNames: {}, miniprogramAppIds: [],
      },
    });
  });

  it('creates a site with every setting given', async () => {
    const k = await createSite({
      origins: ['https://www.example.cn'], timezone: 'Asia/Hong_Kong', attributionDays: 7, retentionDays: 400,
      channelRules: [{ host: 'partner.example.com', channel: 'partner' }],
    });
    expect(((await (await site(k)).json()) as { site: unknown }).site).toMatchObject({
      origins: ['https://www.example.cn'], timezone: 'Asia/Hong_Kong', attributionDays: 7, retentionDays: 400,
      channelRules: [{ host: 'partner.example.com', channel: 'partner' }],
    });
  });

  it('updates only what a PATCH names', async () => {
    const res = await patch(key, { origins: ['https://m.example.cn'], attributionDays: 14, channelRules: [{ prefix: 'sem_', channel: 'baidu_sem' }] });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { site: unknown }).site).toMatchObject({
      name: 'Test Furniture', timezone: 'Asia/Shanghai', origins: ['https://m.example.cn'], attributionDays: 14,
      channelRules: [{ prefix: 'sem_', channel: 'baidu_sem' }],
    });
  });

  it.each([
    [{ timezone: 'Mars/Olympus' }, 'invalid_field', 'IANA'],
    [{ origins: ['https://shop.example.cn/path'] }, 'invalid_field', 'no path'],
    [{ origins: ['*'] }, 'invalid_field', 'scheme'],
    [{ attributionDays: 0 }, 'invalid_field', '1 to 365'],
    [{ attributionDays: 2.5 }, 'invalid_field', 'whole number'],
    [{ retentionDays: '90' }, 'invalid_field', 'whole number'],
    [{ channelRules: {} }, 'invalid_field', 'array'],
    [{ channelRules: [{ channel: 'x' }] }, 'invalid_field', 'exactly one of'],
    [{ channelRules: [{ prefix: 'a', clickId: 'gdt_vid', channel: 'x' }] }, 'invalid_field', 'exactly one of'],
    [{ channelRules: [{ clickId: 'gdt vid', channel: 'x' }] }, 'invalid_field', 'clickId'],
    [{ channelRules: [{ host: 'a.com', prefix: 'a', channel: 'x' }] }, 'invalid_field', 'exactly one of'],
    [{ channelRules: [{ host: 'a.com', channel: 'Bad Channel!' }] }, 'invalid_field', 'channel'],
    [{ channelRules: [{ host: 'https://a.com/', channel: 'x' }] }, 'invalid_field', 'host'],
    [{ channelRules: Array.from({ length: 101 }, () => ({ prefix: 'a', channel: 'x' })) }, 'invalid_field', 'at most 100'],
    [{ currency: 'rmb' }, 'invalid_field', 'ISO 4217'],
    [{ siteKey: 'other' }, 'invalid_field', 'cannot change'],
  ])('refuses %j with 400 %s', async (body, code, words) => {
    const res = await patch(key, body);
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe(code);
    expect(error.message).toContain(words);
  });

  it('answers 404 for an unknown site and 409 for a site key taken', async () => {
    expect((await site('no-such-site')).status).toBe(404);
    expect((await patch('no-such-site', { name: 'x' })).status).toBe(404);
    const dup = await call('/api/v1/admin/sites', { method: 'POST', token: ADMIN, json: { siteKey: key, name: 'again' } });
    expect(dup.status).toBe(409);
    expect(await dup.json()).toMatchObject({ error: { code: 'site_exists' } });
  });

  it('refuses bad bodies with the envelope, never a 5xx', async () => {
    for (const body of ['not json', '[]', '"str"', 'null']) {
      const res = await call('/api/v1/admin/sites', { method: 'POST', token: ADMIN, headers: { 'content-type': 'application/json' }, body });
      expect(res.status).toBe(400);
      expect(await res.json()).toHaveProperty('error.code');
    }
    const noKey = await call('/api/v1/admin/sites', { method: 'POST', token: ADMIN, json: { name: 'x' } });
    expect(await noKey.json()).toMatchObject({ error: { code: 'missing_field' } });
    const badKey = await call('/api/v1/admin/sites', { method: 'POST', token: ADMIN, json: { siteKey: 'Bad Key', name: 'x' } });
    expect(badKey.status).toBe(400);
  });

  it('creates and renames a store', async () => {
    const put = (name: string) => call(`/api/v1/admin/sites/${key}/stores/sh-xuhui`, { method: 'PUT', token: ADMIN, json: { name, city: 'Shanghai' } });
    expect((await put('徐汇店')).status).toBe(200);
    const res = await put('徐汇体验店');
    expect(await res.json()).toMatchObject({ store: { storeId: 'sh-xuhui', name: '徐汇体验店', city: 'Shanghai' } });
    expect((await call(`/api/v1/admin/sites/no-such/stores/x`, { method: 'PUT', token: ADMIN, json: { name: 'x' } })).status).toBe(404);
  });
});
