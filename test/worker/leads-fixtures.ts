// Fixtures for the offline-funnel tests: a site with two stores and tokens, and
// a visitor who lands from a channel and books an appointment through the real
// POST /collect, so every lead is made by the real ingest path.
import { env } from 'cloudflare:test';
import { nanoid } from 'nanoid';
import type { CollectResult, Props } from '../../protocol/wire';
import { ADMIN, call, createSite, createToken, ev, foldOf } from './helpers';

export interface OfflineSite {
  site: string;
  all: string; // store token for both stores
  sh: string; // store token for sh-1 only
  bj: string; // store token for bj-1 only
  report: string;
}

export async function offlineSite(): Promise<OfflineSite> {
  const site = await createSite();
  for (const [id, name, city] of [['sh-1', '上海徐汇店', 'Shanghai'], ['bj-1', '北京朝阳店', 'Beijing']]) {
    const res = await call(`/api/v1/admin/sites/${site}/stores/${id}`, { method: 'PUT', token: ADMIN, json: { name, region: city, city } });
    if (!res.ok) throw new Error(`store: ${res.status} ${await res.text()}`);
  }
  return {
    site,
    all: await createToken('store', [site], ['sh-1', 'bj-1']),
    sh: await createToken('store', [site], ['sh-1']),
    bj: await createToken('store', [site], ['bj-1']),
    report: await createToken('report', [site]),
  };
}

const cf = { country: 'CN', region: 'Shanghai', city: 'Shanghai' };

/** Posts a batch through /collect (with a request.cf, as Cloudflare's edge adds) and waits for its fold. */
export async function collect(site: string, events: ReturnType<typeof ev>[]): Promise<CollectResult> {
  const res = await call('/collect', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ s: site, e: events }), cf } as RequestInit);
  if (res.status !== 202) throw new Error(`collect: ${res.status} ${await res.text()}`);
  await foldOf(site, res);
  return res.json();
}

/** A new visitor landing with `?ch=<channel>`; returns the visitor id. */
export async function land(site: string, channel: string | null, visitor = `v_${nanoid(10)}`): Promise<string> {
  await collect(site, [ev({ v: visitor, ss: `s_${visitor}`, q: channel ? { ch: channel } : undefined })]);
  return visitor;
}

/** The visitor books an appointment; returns the lead code /collect answered. */
export async function book(site: string, visitor: string, p: Props, over: Partial<ReturnType<typeof ev>> = {}): Promise<string> {
  const appt = ev({ t: 'appointment', v: visitor, ss: `s_${visitor}`, u: '/appointment.html', p, ...over });
  const out = await collect(site, [appt]);
  const code = out.leads?.[appt.i];
  if (!code) throw new Error(`no lead code in ${JSON.stringify(out)}`);
  return code;
}

export async function row<T = Record<string, unknown>>(sql: string, ...args: unknown[]): Promise<T | null> {
  return env.DB.prepare(sql).bind(...args).first<T>();
}

export async function rows<T = Record<string, unknown>>(sql: string, ...args: unknown[]): Promise<T[]> {
  return (await env.DB.prepare(sql).bind(...args).all<T>()).results;
}

/** Waits for background work (waitUntil) to show in D1; fails the test after ~5 s. */
export async function eventually<T>(probe: () => Promise<T | null | undefined | false>, what: string): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const v = await probe();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The secret test/worker/crm-receiver.js verifies with. */
export const CRM_SECRET = 'whsec_test_receiver_secret_0123456789';
