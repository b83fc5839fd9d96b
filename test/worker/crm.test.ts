// The CRM webhook: signed JSON POSTs after each lead, arrival and deal, checked
// by a receiving test worker (test/worker/crm-receiver.js), retried with backoff
// by the cron, failures visible to the admin. In workerd against real D1.
import { createScheduledController, env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import worker from '../../worker/index';
import { BACKOFF_MS, MAX_ATTEMPTS } from '../../worker/crm/deliver';
import { signatureFor, verifySignature } from '../../worker/crm/sign';
import { ADMIN, call } from './helpers';
import { book, CRM_SECRET, eventually, land, offlineSite, row, rows, type OfflineSite } from './leads-fixtures';

interface Received {
  id: string;
  type: string;
  verified: boolean;
  attempt: number;
  body: { id: string; type: string; site: string; data: Record<string, any> };
}
interface Delivery {
  id: string;
  type: string;
  status: string;
  attempts: number;
  last_status: number | null;
  next_at: number;
}

const received = async (name: string): Promise<Received[]> => (await fetch(`http://crm.test/log/${name}`)).json();
const deliveries = (site: string) => rows<Delivery>('SELECT id, type, status, attempts, last_status, next_at FROM crm_deliveries WHERE site_key = ?1 ORDER BY created_at', site);
const setCrm = (site: string, json: unknown, token = ADMIN) => call(`/api/v1/admin/sites/${site}/crm`, { method: 'PUT', token, json });

/** The worker's real scheduled handler, as the Cron Trigger calls it, at time `at`. */
async function cron(at: number): Promise<void> {
  await worker.scheduled!(createScheduledController({ scheduledTime: at, cron: '17 3 * * *' }), env);
}

describe('signatures', () => {
  it('verify only for the right secret, the exact body and a fresh timestamp', async () => {
    const now = Date.now();
    const body = '{"id":"whd_1","type":"deal.created"}';
    const header = await signatureFor('s3cret-s3cret-s3cret', body, now);
    expect(header).toMatch(/^t=\d{10},v1=[0-9a-f]{64}$/);
    expect(await verifySignature('s3cret-s3cret-s3cret', header, body, now)).toBe(true);
    expect(await verifySignature('s3cret-s3cret-s3cret', header, body.replace('deal', 'lead'), now)).toBe(false);
    expect(await verifySignature('another-secret-000000', header, body, now)).toBe(false);
    expect(await verifySignature('s3cret-s3cret-s3cret', header, body, now + 301_000)).toBe(false);
  });
});

describe('delivery', () => {
  let s: OfflineSite;
  beforeAll(async () => {
    s = await offlineSite();
    expect((await setCrm(s.site, { url: 'http://crm.test/ok/chain', secret: CRM_SECRET })).status).toBe(201);
  });

  it('posts lead, arrival and deal to the CRM, signed so the receiver verifies them', async () => {
    const v = await land(s.site, 'baidu_sem');
    const code = await book(s.site, v, { store: 'sh-1', budget: 20000 });
    await call('/api/v1/arrivals', { method: 'POST', token: s.sh, json: { lead: code, store: 'sh-1' } });
    const dealRes = await call('/api/v1/deals', { method: 'POST', token: s.sh, json: { lead: code, store: 'sh-1', amount: 1_880_000 }, headers: { 'idempotency-key': 'crm-1' } });
    const dealId = ((await dealRes.json()) as { deal: { id: string } }).deal.id;

    const got = await eventually(async () => {
      const r = await received('chain');
      return r.length >= 3 && r;
    }, 'three webhooks');
    expect(got.map((r) => [r.type, r.verified])).toEqual([['lead.created', true], ['arrival.created', true], ['deal.created', true]]);
    expect(got[0].body).toMatchObject({ type: 'lead.created', site: s.site, data: { lead: { code, visitor: v, budget: 2_000_000, lastChannel: 'baidu_sem' } } });
    expect(got[1].body.data).toMatchObject({ arrival: { lead: code, method: 'staff' }, lead: { code } });
    expect(got[2].body.data).toMatchObject({ deal: { id: dealId, amount: 1_880_000, lead: code, lastChannel: 'baidu_sem' } });
    expect(got.every((r) => r.body.id === r.id)).toBe(true); // the O2O-Delivery header is the body's id

    const rowsNow = await eventually(async () => {
      const d = await deliveries(s.site);
      return d.length === 3 && d.every((x) => x.status === 'delivered') && d;
    }, 'three delivered rows');
    expect(rowsNow.map((d) => [d.type, d.attempts, d.last_status])).toEqual([['lead.created', 1, 204], ['arrival.created', 1, 204], ['deal.created', 1, 204]]);
  });

  it('sends nothing for a site without a CRM', async () => {
    const other = await offlineSite();
    await book(other.site, await land(other.site, null), { store: 'sh-1' });
    expect(await deliveries(other.site)).toEqual([]);
  });
});

describe('retries', () => {
  it('retries a failed delivery after the backoff, from the cron, and not before', async () => {
    const s = await offlineSite();
    await setCrm(s.site, { url: 'http://crm.test/flaky/retry', secret: CRM_SECRET });
    const code = await book(s.site, await land(s.site, 'douyin'), { store: 'bj-1' });
    const [first] = await eventually(async () => {
      const d = await deliveries(s.site);
      return d.length === 1 && d[0].attempts === 1 && d;
    }, 'the first attempt');
    expect(first).toMatchObject({ status: 'pending', attempts: 1, last_status: 503 });
    expect(first.next_at - Date.now()).toBeGreaterThan(BACKOFF_MS[0] - 10_000);

    await cron(Date.now()); // before the backoff: nothing is sent
    expect((await deliveries(s.site))[0]).toMatchObject({ attempts: 1, status: 'pending' });

    await cron(first.next_at + 1000);
    expect((await deliveries(s.site))[0]).toMatchObject({ attempts: 2, status: 'delivered', last_status: 204 });
    const got = await received('retry');
    expect(got.map((r) => [r.attempt, r.verified, r.body.data.lead.code])).toEqual([[1, true, code], [2, true, code]]);
  });

  it('gives up after the last attempt, shows the failure to the admin, and sends again on request', async () => {
    const s = await offlineSite();
    await setCrm(s.site, { url: 'http://crm.test/down/dead', secret: CRM_SECRET });
    await book(s.site, await land(s.site, null), { store: 'sh-1' });
    let d = (await eventually(async () => (await deliveries(s.site)).find((x) => x.attempts === 1), 'the first attempt'))!;
    let at = d.next_at;
    const waits: number[] = [];
    for (let i = 1; i < MAX_ATTEMPTS; i++) {
      await cron(at + 1000);
      d = (await deliveries(s.site))[0];
      if (d.status === 'pending') waits.push(d.next_at - (at + 1000));
      at = d.next_at;
    }
    expect(d).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, last_status: 500 });
    // Each wait after a cron attempt was the schedule's: 5 min, 30 min, 2 h, 6 h, 12 h, 24 h (the 1 min came first).
    expect(waits).toEqual([300_000, 1_800_000, 7_200_000, 21_600_000, 43_200_000, 86_400_000]);
    expect(BACKOFF_MS.slice(1)).toEqual(waits);
    const tries = (await received('dead')).length;
    expect(tries).toBe(MAX_ATTEMPTS);

    const summary = (await (await call(`/api/v1/admin/sites/${s.site}/crm`, { token: ADMIN })).json()) as Record<string, any>;
    expect(summary).toMatchObject({ url: 'http://crm.test/down/dead', enabled: true, deliveries: { failed: 1, pending: 0, delivered: 0 } });
    expect(summary.last).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, lastStatus: 500, lastError: 'HTTP 500', nextAttemptAt: null });
    expect(JSON.stringify(summary)).not.toContain(CRM_SECRET);
    const failed = (await (await call(`/api/v1/admin/sites/${s.site}/crm/deliveries?status=failed`, { token: ADMIN })).json()) as { deliveries: { id: string }[] };
    expect(failed.deliveries.map((x) => x.id)).toEqual([d.id]);

    // The CRM is back (new URL, same secret); the admin requeues the failed delivery.
    expect((await setCrm(s.site, { url: 'http://crm.test/ok/back' })).status).toBe(200);
    const retry = await call(`/api/v1/admin/sites/${s.site}/crm/deliveries/${d.id}/retry`, { method: 'POST', token: ADMIN });
    expect(retry.status).toBe(202);
    await eventually(async () => (await deliveries(s.site))[0].status === 'delivered', 'the requeued delivery');
    expect((await received('back')).map((r) => r.verified)).toEqual([true]);
  });

  it('records a signature the CRM rejects as a failed attempt', async () => {
    const s = await offlineSite();
    await setCrm(s.site, { url: 'http://crm.test/ok/wrong-secret', secret: 'not-the-receivers-secret-123' });
    await book(s.site, await land(s.site, null), { store: 'sh-1' });
    const d = (await eventually(async () => (await deliveries(s.site)).find((x) => x.attempts === 1), 'an attempt'))!;
    expect(d).toMatchObject({ status: 'pending', last_status: 401 });
    expect((await received('wrong-secret')).map((r) => r.verified)).toEqual([false]);
  });
});

describe('CRM settings', () => {
  it('generates a secret when none is given, shows it once, and keeps it on later changes', async () => {
    const s = await offlineSite();
    const first = (await (await setCrm(s.site, { url: 'https://crm.example.cn/hooks/o2o' })).json()) as { secret?: string };
    expect(first.secret).toMatch(/^whsec_[A-Za-z0-9_-]{32}$/);
    const second = (await (await setCrm(s.site, { url: 'https://crm.example.cn/hooks/o2o2', enabled: false })).json()) as { secret?: string; enabled: boolean };
    expect(second).toEqual({ site: s.site, url: 'https://crm.example.cn/hooks/o2o2', enabled: false });
    expect((await row<{ secret: string }>('SELECT secret FROM crm_settings WHERE site_key = ?1', s.site))!.secret).toBe(first.secret);
    // Disabled: nothing is queued.
    await book(s.site, await land(s.site, null), { store: 'sh-1' });
    expect(await deliveries(s.site)).toEqual([]);
  });

  it('refuses bad settings and other tokens with the envelope', async () => {
    const s = await offlineSite();
    const cases: [unknown, string | undefined, string, number, string][] = [
      [{ url: 'http://crm.example.cn/hook' }, ADMIN, s.site, 400, 'invalid_field'],
      [{ url: 'not a url' }, ADMIN, s.site, 400, 'invalid_field'],
      [{ url: 'https://crm.example.cn/hook', secret: 'short' }, ADMIN, s.site, 400, 'invalid_field'],
      [{}, ADMIN, s.site, 400, 'missing_field'],
      [{ url: 'https://crm.example.cn/hook' }, ADMIN, 'no-such-site', 404, 'unknown_site'],
      [{ url: 'https://crm.example.cn/hook' }, s.report, s.site, 403, 'forbidden'],
      [{ url: 'https://crm.example.cn/hook' }, s.all, s.site, 403, 'forbidden'],
    ];
    for (const [json, token, site, status, code] of cases) {
      const res = await setCrm(site, json, token);
      expect([JSON.stringify(json), res.status]).toEqual([JSON.stringify(json), status]);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
    }
  });
});
