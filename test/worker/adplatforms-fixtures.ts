// Fixtures for the ad platforms' tests: a site with stores and a connector, a
// visitor landing from an ad click, the funnel's stages through the real API,
// the cron, and what the receiving platforms (adplatforms-receiver.js) got.
import { createScheduledController, env } from 'cloudflare:test';
import { nanoid } from 'nanoid';
import worker from '../../worker/index';
import { ADMIN, call, ev } from './helpers';
import { book, collect, eventually, offlineSite, rows, type OfflineSite } from './leads-fixtures';

export const SECRETS = { baidu: 'baidu-test-token', tencent: 'tencent-test-token', qihoo: 'qihoo-test-secret' };

export interface Got {
  platform: string;
  path: string;
  problem: string | null;
  clickId: string;
  type: string | number;
  attempt: number;
  body: any;
  headers: Record<string, string>;
  query: Record<string, string>;
}

export interface AdRow {
  id: string;
  lead_code: string;
  platform: string;
  stage: string;
  click_id: string;
  landing_url: string;
  value: number | null;
  reason: string | null;
  conv_type: string | null;
  status: string;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  sent: string | null;
  answer: string | null;
  next_at: number;
}

/** What the platforms got for click ids "<mode>-<name>". */
export const received = async (name: string): Promise<Got[]> => (await fetch(`http://adplatforms.test/log/${name}`)).json();

export const adRows = (site: string) => rows<AdRow>('SELECT * FROM ad_deliveries WHERE site_key = ?1 ORDER BY happened_at, platform, stage', site);

export const connect = (site: string, platform: string, json: unknown, token = ADMIN) =>
  call(`/api/v1/admin/sites/${site}/adplatforms/${platform}`, { method: 'PUT', token, json });

/** A site with stores, tokens and the given connectors (platform → PUT body). */
export async function adSite(connectors: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<OfflineSite> {
  const s = await offlineSite();
  if (Object.keys(extra).length) await call(`/api/v1/admin/sites/${s.site}`, { method: 'PATCH', token: ADMIN, json: extra });
  for (const [platform, body] of Object.entries(connectors)) {
    const res = await connect(s.site, platform, body);
    if (res.status !== 201) throw new Error(`connector ${platform}: ${res.status} ${await res.text()}`);
  }
  return s;
}

/** A new visitor landing on /sofa with `q` (the ad's click id); returns the visitor id. */
export async function clickLand(site: string, q: Record<string, string> | undefined, visitor = `v_${nanoid(10)}`): Promise<string> {
  await collect(site, [ev({ v: visitor, ss: `s_${visitor}`, u: '/sofa', q })]);
  return visitor;
}

/** Lands from `q` and books at sh-1; returns the lead code. */
export async function adLead(site: string, q: Record<string, string> | undefined): Promise<string> {
  return book(site, await clickLand(site, q), { store: 'sh-1', budget: 20000 });
}

export const screen = (s: OfflineSite, code: string, status: string, note?: string) =>
  call(`/api/v1/leads/${code}`, { method: 'PATCH', token: s.report, json: { site: s.site, status, ...(note !== undefined ? { note } : {}) } });

export const arrive = (s: OfflineSite, code: string) => call('/api/v1/arrivals', { method: 'POST', token: s.sh, json: { lead: code, store: 'sh-1' } });

export const sell = (s: OfflineSite, code: string, amount: number, key = nanoid()) =>
  call('/api/v1/deals', { method: 'POST', token: s.sh, json: { lead: code, store: 'sh-1', amount }, headers: { 'idempotency-key': key } });

/** The worker's real scheduled handler at `at`, as the 10-minute Cron Trigger calls it. */
export async function cron(at = Date.now()): Promise<void> {
  await worker.scheduled!(createScheduledController({ scheduledTime: at, cron: '*/10 * * * *' }), env);
}

/** Runs the cron until the site's `n` conversions are all delivered; returns them. */
export function allDelivered(site: string, n: number): Promise<AdRow[]> {
  return eventually(async () => {
    await cron();
    const r = await adRows(site);
    return r.length === n && r.every((d) => d.status === 'delivered') && r;
  }, `${n} delivered conversions`);
}
