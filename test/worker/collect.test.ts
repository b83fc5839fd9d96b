// POST /collect against the real worker and the real D1.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { landing } from '../../sdk/channel';
import { newEvent } from '../../sdk/event';
import { LIMITS, type CollectResult } from '../../sdk/protocol';
import { createQueue } from '../../sdk/transport';
import { createToken, createSite, ev, post, today, call } from './helpers';

let site: string;
beforeAll(async () => {
  site = await createSite();
});

async function stored(id: string) {
  return env.DB.prepare('SELECT * FROM events WHERE site_key = ?1 AND id = ?2').bind(site, id).first<Record<string, unknown>>();
}

describe('envelope round trip', () => {
  it('stores an SDK-made batch and counts it in the channel report', async () => {
    const bodies: string[] = [];
    const queue = createQueue('/collect', site, (_url, body) => (bodies.push(body), true));
    const view = newEvent('view', {
      pv: 'pv1',
      ...landing({ pathname: '/sku/sofa-101', search: '?ch=baidu_sem&phone=13800138000' }, 'https://www.baidu.com/', ['ch']),
    });
    queue.push(view);
    expect(queue.flush()).toBe(true);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).not.toContain('13800138000');

    const res = await post(bodies[0]);
    expect(res.status).toBe(202);
    const body = (await res.json()) as CollectResult;
    expect(body).toMatchObject({ accepted: 1, duplicates: 0, rejected: [] });

    const row = await stored(view.i);
    expect(row).toMatchObject({ type: 'view', visitor_id: view.v, path: '/sku/sofa-101', channel: 'baidu_sem', day: today() });

    const token = await createToken('report', [site]);
    const report = await call(`/api/v1/reports/channels?site=${site}&from=${today()}&to=${today()}`, { token });
    expect(report.status).toBe(200);
    const { rows } = (await report.json()) as { rows: { channel: string; visitors: number; views: number }[] };
    expect(rows.find((r) => r.channel === 'baidu_sem')).toMatchObject({ visitors: 1, views: 1 });
  });
});

describe('collect', () => {
  it('accepts application/json as well as text/plain', async () => {
    const e = ev({ v: 'json-visitor' });
    const res = await post({ s: site, e: [e] }, 'application/json');
    expect(res.status).toBe(202);
    expect(await stored(e.i)).not.toBeNull();
  });

  it('stores a replayed batch once', async () => {
    const batch = { s: site, e: [ev(), ev({ t: 'dwell', d: 1200 })] };
    const first = (await (await post(batch)).json()) as CollectResult;
    const again = (await (await post(batch)).json()) as CollectResult;
    expect(first).toMatchObject({ accepted: 2, duplicates: 0 });
    expect(again).toMatchObject({ accepted: 2, duplicates: 2 });
    const { n } = (await env.DB.prepare('SELECT COUNT(*) AS n FROM events WHERE site_key = ?1 AND id IN (?2, ?3)')
      .bind(site, batch.e[0].i, batch.e[1].i).first<{ n: number }>())!;
    expect(n).toBe(2);
  });

  it('keeps the good events of a batch with bad ones and says why the others were refused', async () => {
    const good = ev();
    const res = await post({ s: site, e: [{ ...ev(), t: 'bogus' } as never, good, { ...ev(), u: 'x'.repeat(LIMITS.pathLength + 1) }, 42 as never] });
    expect(res.status).toBe(202);
    const body = (await res.json()) as CollectResult;
    expect(body.accepted).toBe(1);
    expect(body.rejected.map((r) => [r.index, r.code])).toEqual([[0, 'invalid_type'], [2, 'field_too_long'], [3, 'invalid_event']]);
    expect(await stored(good.i)).not.toBeNull();
  });

  it('refuses events past the batch limit one by one, keeping the first ones', async () => {
    const events = Array.from({ length: LIMITS.maxEvents + 2 }, () => ev());
    const body = (await (await post({ s: site, e: events })).json()) as CollectResult;
    expect(body.accepted).toBe(LIMITS.maxEvents);
    expect(body.rejected).toHaveLength(2);
    expect(body.rejected[0]).toMatchObject({ index: LIMITS.maxEvents, code: 'too_many_events' });
  });

  it.each([
    ['not json', 'invalid_json', 400],
    ['[]', 'invalid_batch', 400],
    ['{"s":"x"}', 'invalid_batch', 400],
    ['{"s":"no-such-site","e":[]}', 'unknown_site', 403],
  ])('answers %s with %s', async (text, code, status) => {
    const res = await post(text);
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ error: { code } });
  });

  it('refuses a body over the limit with 413', async () => {
    const res = await post(JSON.stringify({ s: site, e: [], pad: 'x'.repeat(LIMITS.maxBodyBytes) }));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 'body_too_large' } });
  });
});
