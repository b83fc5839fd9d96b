// The ad platform connectors' admin API, the credentials' rule (a Worker
// secret named, never a value stored), and the retries: a platform that
// refuses is retried by the cron with the CRM's backoff, then failed.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { BACKOFF_MS, MAX_ATTEMPTS } from '../../worker/crm/deliver';
import { adLead, adRows, adSite, allDelivered, connect, cron, received, screen, SECRETS } from './adplatforms-fixtures';
import { ADMIN, call, createSite, createToken } from './helpers';
import { eventually, rows } from './leads-fixtures';

const list = (site: string, q = '') => call(`/api/v1/admin/sites/${site}/adplatforms${q}`, { token: ADMIN });

describe('connectors', () => {
  it('refuses a connector that could not send, or that would take a credential in clear, with a 4xx', async () => {
    const site = await createSite();
    const cases: [string, unknown, number, string][] = [
      ['baidu', {}, 400, 'missing_field'],
      ['baidu', { secretName: 'ADMIN_TOKEN' }, 400, 'invalid_field'], // no other secret of the worker can be named
      ['baidu', { secretName: 'BAIDU_NOT_PUT_YET' }, 400, 'unknown_secret'],
      ['baidu', { secretName: 'BAIDU_OCPC_TOKEN_TEST', token: 'in-clear' }, 400, 'invalid_body'],
      ['baidu', { secretName: 'BAIDU_OCPC_TOKEN_TEST', types: { appointment: 'form' } }, 400, 'invalid_field'],
      ['baidu', { secretName: 'BAIDU_OCPC_TOKEN_TEST', types: { refund: 5 } }, 400, 'invalid_body'],
      ['oceanengine', { types: { deal: 'COMPLETE_ORDER' } }, 400, 'invalid_field'],
      ['tencent', { secretName: 'TENCENT_ADS_TOKEN_TEST' }, 400, 'missing_field'],
      ['qihoo360', { secretName: 'QIHOO360_SECRET_TEST' }, 400, 'missing_field'],
      ['google', { secretName: 'BAIDU_OCPC_TOKEN_TEST' }, 400, 'invalid_parameter'],
    ];
    for (const [platform, body, status, code] of cases) {
      const res = await connect(site, platform, body);
      expect([platform, body, res.status]).toEqual([platform, body, status]);
      const err = ((await res.json()) as { error: { code: string } }).error;
      expect([platform, body, err.code]).toEqual([platform, body, expect.stringMatching(code === 'invalid_body' ? /^invalid_(body|field)$/ : new RegExp(`^${code}$`))]);
    }
    expect(await rows('SELECT * FROM ad_connectors WHERE site_key = ?1', site)).toEqual([]);
    const report = await createToken('report', [site]);
    expect((await connect(site, 'baidu', { secretName: 'BAIDU_OCPC_TOKEN_TEST' }, report)).status).toBe(403);
    expect((await call(`/api/v1/admin/sites/${site}/adplatforms`)).status).toBe(401);
  });

  it('adds, changes, lists and removes a connector; it names the secret and never holds its value', async () => {
    const site = await createSite();
    const made = await connect(site, 'baidu', { secretName: 'BAIDU_OCPC_TOKEN_TEST' });
    expect(made.status).toBe(201);
    expect(await made.json()).toMatchObject({ connector: { platform: 'baidu', secretName: 'BAIDU_OCPC_TOKEN_TEST', secretSet: true, types: { appointment: 3, unqualified: 3 }, enabled: true } });
    const changed = await connect(site, 'baidu', { types: { arrival: 26, unqualified: null }, enabled: false });
    expect(changed.status).toBe(200);
    expect(((await changed.json()) as any).connector).toMatchObject({ types: { appointment: 3, arrival: 26 }, enabled: false, secretName: 'BAIDU_OCPC_TOKEN_TEST' });
    expect((await connect(site, 'tencent', { secretName: 'TENCENT_ADS_TOKEN_TEST', accountId: '1', userActionSetId: '2' })).status).toBe(201);
    const all = (await (await list(site)).json()) as any;
    expect(all.connectors.map((k: any) => [k.platform, k.deliveries])).toEqual([
      ['baidu', { pending: 0, delivered: 0, failed: 0 }], ['tencent', { pending: 0, delivered: 0, failed: 0 }],
    ]);
    const stored = JSON.stringify(await rows('SELECT * FROM ad_connectors WHERE site_key = ?1', site));
    for (const secret of Object.values(SECRETS)) expect(stored).not.toContain(secret);
    expect(JSON.stringify(all)).not.toContain(SECRETS.baidu);
    const del = () => call(`/api/v1/admin/sites/${site}/adplatforms/tencent`, { method: 'DELETE', token: ADMIN });
    expect(await (await del()).json()).toEqual({ site, platform: 'tencent', removed: true });
    expect((await del()).status).toBe(404);
  });

  it('writes nothing for a paused connector; removing one fails its unsent conversions', async () => {
    const s = await adSite({ oceanengine: { enabled: false }, baidu: { secretName: 'BAIDU_OCPC_TOKEN_TEST' } });
    await adLead(s.site, { clickid: 'ok-paused', bd_vid: 'down-removed' });
    await eventually(async () => (await adRows(s.site)).some((d) => d.attempts > 0), 'a first attempt');
    expect((await adRows(s.site)).map((d) => d.platform)).toEqual(['baidu']);
    await call(`/api/v1/admin/sites/${s.site}/adplatforms/baidu`, { method: 'DELETE', token: ADMIN });
    expect((await adRows(s.site)).map((d) => [d.status, d.last_error])).toEqual([['failed', 'the connector was removed']]);
  });
});

describe('sending', () => {
  it('retries a refusing platform by the cron with backoff until it takes the conversion', async () => {
    const s = await adSite({ oceanengine: {} });
    await adLead(s.site, { clickid: 'flaky-fl1' });
    const [first] = await eventually(async () => {
      await cron();
      const r = await adRows(s.site);
      return r[0]?.attempts === 1 && r;
    }, 'the first attempt');
    expect(first).toMatchObject({ status: 'pending', last_status: 200, last_error: 'code 40001: busy' });
    await cron(first.next_at - 1_000); // not due yet: no attempt
    expect((await adRows(s.site))[0].attempts).toBe(1);
    await cron(first.next_at);
    expect((await adRows(s.site))[0]).toMatchObject({ status: 'delivered', attempts: 2, last_error: null });
    expect((await received('fl1')).map((g) => g.attempt)).toEqual([1, 2]);
  });

  it('fails a conversion after the last attempt, the backoff between them the CRM webhook\'s', async () => {
    const s = await adSite({ baidu: { secretName: 'BAIDU_OCPC_TOKEN_TEST' } });
    await adLead(s.site, { bd_vid: 'down-dn1' });
    const waits: number[] = [];
    let d = await eventually(async () => {
      await cron();
      return (await adRows(s.site))[0]?.attempts === 1 && (await adRows(s.site))[0];
    }, 'the first attempt');
    while (d.status === 'pending') {
      const at = d.next_at;
      await cron(at);
      d = (await adRows(s.site))[0];
      if (d.status === 'pending') waits.push(d.next_at - at);
    }
    expect(d).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, last_error: 'code 4: busy' });
    expect(waits).toEqual(BACKOFF_MS.slice(1));
  });

  it('refuses to send when the named Worker secret is gone, and says how to set it', async () => {
    const s = await adSite({ baidu: { secretName: 'BAIDU_OCPC_TOKEN_TEST', types: { qualified: 20 } } });
    const code = await adLead(s.site, { bd_vid: 'ok-gone' });
    await allDelivered(s.site, 1);
    await env.DB.prepare("UPDATE ad_connectors SET secret_name = 'BAIDU_GONE' WHERE site_key = ?1").bind(s.site).run();
    await screen(s, code, 'qualified');
    const d = await eventually(async () => {
      await cron();
      return (await adRows(s.site)).find((r) => r.stage === 'qualified' && r.attempts > 0);
    }, 'an attempt');
    expect(d).toMatchObject({ status: 'pending', last_status: null, last_error: expect.stringContaining('wrangler secret put BAIDU_GONE') });
    expect(await received('gone')).toHaveLength(1); // only the appointment reached Baidu
  });

  it('shows the admin what was sent and what each platform answered', async () => {
    const s = await adSite({ baidu: { secretName: 'BAIDU_OCPC_TOKEN_TEST' }, oceanengine: {} });
    await adLead(s.site, { bd_vid: 'ok-view1', clickid: 'down-view2' });
    await eventually(async () => {
      await cron();
      return (await adRows(s.site)).every((d) => d.attempts > 0) && true;
    }, 'both attempted');
    const all = (await (await list(s.site, '/deliveries')).json()) as any;
    expect(all.deliveries).toHaveLength(2);
    const failing = (await (await list(s.site, '/deliveries?status=pending&platform=oceanengine')).json()) as any;
    expect(failing.deliveries).toEqual([expect.objectContaining({
      platform: 'oceanengine', stage: 'appointment', type: 'form', clickId: 'down-view2', status: 'pending', attempts: 1, lastStatus: 200,
      lastError: 'code 40001: busy', answer: expect.stringContaining('"code":40001'), sent: expect.stringContaining('"callback":"down-view2"'),
    })]);
    const baidu = all.deliveries.find((d: any) => d.platform === 'baidu');
    expect(baidu).toMatchObject({ status: 'delivered', sent: expect.stringContaining('"token":"••••"') });
    expect(JSON.stringify(all)).not.toContain(SECRETS.baidu);
    expect((await list(s.site, '/deliveries?platform=google')).status).toBe(400);
  });
});
