// POST /collect against the real worker and the real D1.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { landingParams, stripUrl } from '../../sdk/channel';
import { newEvent } from '../../sdk/event';
import { LIMITS, type Batch, type CollectResult } from '../../protocol/wire';
import { createToken, createSite, ev, post, today, call, storedEvent, storedEvents } from './helpers';

let site: string;
beforeAll(async () => {
  site = await createSite();
});

// The folded event, out of the site's event chunks (post() waits for the fold).
const stored = (id: string) => storedEvent(site, id);

/** Replays the fold dropped for the site (ingest_days). */
async function foldDuplicates(): Promise<number> {
  const r = await env.DB.prepare('SELECT coalesce(SUM(duplicates), 0) AS n FROM ingest_days WHERE site_key = ?1').bind(site).first<{ n: number }>();
  return r!.n;
}

describe('envelope round trip', () => {
  it('stores an SDK-made batch and counts it in the channel report', async () => {
    const view = newEvent({
      t: 'view',
      pv: 'pv1',
      u: '/sku/sofa-101',
      r: stripUrl('https://www.baidu.com/s?wd=sofa'),
      q: landingParams('?ch=baidu_sem&phone=13800138000', {}),
    });
    // The wire body exactly as the SDK's transport beacons it (text/plain); the transport
    // itself is tested under happy-dom in test/sdk.
    const sent = JSON.stringify({ s: site, e: [view] } satisfies Batch);
    expect(sent).not.toContain('13800138000');
    const res = await post(sent);
    expect(res.status).toBe(202);
    const body = (await res.json()) as CollectResult;
    expect(body).toMatchObject({ accepted: 1, duplicates: 0, rejected: [] });

    const row = await stored(view.i);
    expect(row).toMatchObject({ type: 'view', visitor: view.v, path: '/sku/sofa-101', channel: 'baidu_sem', day: today() });

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

  // A replay across requests is the fold's to drop (issue 16): the answer cannot
  // know it any more (duplicates counts only what one request repeats); the fold
  // counts it in ingest_days and stores each event once.
  it('stores a replayed batch once', async () => {
    const batch = { s: site, e: [ev(), ev({ t: 'dwell', d: 1200 })] };
    const dupsBefore = await foldDuplicates();
    const first = (await (await post(batch)).json()) as CollectResult;
    const again = (await (await post(batch)).json()) as CollectResult;
    expect(first).toMatchObject({ accepted: 2, duplicates: 0 });
    expect(again).toMatchObject({ accepted: 2, duplicates: 0 });
    const ids = new Set(batch.e.map((e) => e.i));
    expect((await storedEvents(site)).filter((e) => ids.has(e.id))).toHaveLength(2);
    expect(await foldDuplicates()).toBe(dupsBefore + 2);
  });

  it('keeps the good events of a batch with bad ones and says why the others were refused', async () => {
    const good = ev();
    const res = await post({ s: site, e: [{ ...ev(), t: 'bogus' } as never, good, { ...ev(), i: 'x'.repeat(LIMITS.idLength + 1) }, 42 as never] });
    expect(res.status).toBe(202);
    const body = (await res.json()) as CollectResult;
    expect(body.accepted).toBe(1);
    expect(body.rejected.map((r) => [r.index, r.code])).toEqual([[0, 'invalid_type'], [2, 'field_too_long'], [3, 'invalid_event']]);
    expect(await stored(good.i)).not.toBeNull();
  });

  it('cuts what the browser read off the page, and a dwell, to their limits instead of refusing them', async () => {
    const many = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`x_${i}`, 'x']));
    const view = ev({ u: '/p/' + 'a'.repeat(600) + '?phone=13800138000', r: 'https://m.example.cn/' + 'b'.repeat(2000) + '?q=1', q: { ...many, ch: 'c'.repeat(300) } });
    const consult = ev({ t: 'consult', c: 'k'.repeat(80), l: 'chat' });
    const dwell = ev({ t: 'dwell', pv: 'pv1', d: LIMITS.maxDwellMs + 5000 });
    const track = ev({ t: 'track', n: 'coupon', p: { value: 500, gone: null } as never });
    const body = (await (await post({ s: site, e: [view, consult, dwell, track] })).json()) as CollectResult;
    expect(body).toMatchObject({ accepted: 4, rejected: [] });
    const v = await stored(view.i);
    expect(v!.path).toBe(('/p/' + 'a'.repeat(600)).slice(0, LIMITS.pathLength));
    const data = v!.data as Record<string, unknown>;
    expect(data.r).toBe(('https://m.example.cn/' + 'b'.repeat(2000)).slice(0, LIMITS.referrerLength));
    expect(data.q).toEqual({ ch: 'c'.repeat(LIMITS.paramLength) }); // unknown keys dropped unread
    expect(JSON.stringify(v)).not.toContain('13800138000');
    expect((await stored(consult.i))!.data!.c).toBe('k'.repeat(LIMITS.nameLength));
    expect((await stored(dwell.i))!.data!.d).toBe(LIMITS.maxDwellMs);
    expect((await stored(track.i))!.data!.p).toEqual({ value: 500 });
  });

  // The script tag sends what a page's code gives as it was given (issue 19: its byte budget): the worker cuts
  // a SKU, a label and an event name, takes a number as its text, trims a label, and takes an appointment's own
  // SKU (its `sku` prop) before the page's, as the SDKs did.
  it('cuts a long SKU, label and event name instead of refusing them, and takes an appointment of its own SKU', async () => {
    const long = (c: string) => c.repeat(300);
    const view = ev({ k: long('k') });
    const consult = ev({ t: 'consult', c: 'chat', l: `\n  ${long('l')}  ` });
    const track = ev({ t: 'track', n: long('n'), k: 101 as never });
    const numbered = ev({ t: 'track', n: 7 as never });
    const appt = ev({ t: 'appointment', k: 'PAGE-SKU', p: { store: 'sh-xuhui', sku: long('s') } });
    const apptNumber = ev({ t: 'appointment', k: 'PAGE-SKU', p: { store: 'sh-xuhui', sku: 205 } });
    const apptPage = ev({ t: 'appointment', k: 'PAGE-SKU', p: { store: 'sh-xuhui', sku: '' } });
    const all = [view, consult, track, numbered, appt, apptNumber, apptPage];
    const body = (await (await post({ s: site, e: all })).json()) as CollectResult;
    expect(body).toMatchObject({ accepted: all.length, rejected: [] });
    const rows = await Promise.all(all.map((e) => stored(e.i)));
    expect(rows.map((r) => r!.sku)).toEqual([long('k').slice(0, LIMITS.skuLength), null, '101', null, long('s').slice(0, LIMITS.skuLength), '205', 'PAGE-SKU']);
    expect(rows[1]!.data!.l).toBe(long('l').slice(0, LIMITS.labelLength));
    expect([rows[2]!.data!.n, rows[3]!.data!.n]).toEqual([long('n').slice(0, LIMITS.nameLength), '7']);
  });

  it('still refuses a SKU, label or name that is not text or a number', async () => {
    const bad = [ev({ k: { sku: 1 } as never }), ev({ t: 'consult', c: 'chat', l: ['x'] as never }), ev({ t: 'track', n: true as never })];
    const body = (await (await post({ s: site, e: bad })).json()) as CollectResult;
    expect(body.accepted).toBe(0);
    expect(body.rejected.map((r) => r.code)).toEqual(['invalid_field', 'invalid_field', 'invalid_field']);
  });

  it('trims props (too many keys, long keys and values, nested values) instead of refusing the event', async () => {
    // The SDK sends props as the page gave them (its byte budget): the worker keeps the first
    // maxProps keys, cuts keys and strings, and turns a nested value into its string form.
    const many = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, i]));
    const longKey = 'y'.repeat(LIMITS.propKeyLength + 10);
    const track = ev({ t: 'track', n: 'coupon', p: { note: 'x'.repeat(LIMITS.propValueLength + 50), nested: { a: { b: 1 } }, list: [1, 'a'], gone: null, [longKey]: true, ...many } as never });
    const appt = ev({ t: 'appointment', p: { store: 'sh-xuhui', style: '北欧'.repeat(200), ...many } as never });
    const body = (await (await post({ s: site, e: [track, appt] })).json()) as CollectResult;
    expect(body).toMatchObject({ accepted: 2, rejected: [] });
    expect(body.leads![appt.i]).toMatch(/^[2-9A-HJ-NP-Z]{6}$/); // still an appointment: it makes its lead
    const p = (await stored(track.i))!.data!.p as Record<string, unknown>;
    expect(p).toEqual({
      note: 'x'.repeat(LIMITS.propValueLength), nested: '[object Object]', list: '1,a', [longKey.slice(0, LIMITS.propKeyLength)]: true,
      ...Object.fromEntries(Array.from({ length: LIMITS.maxProps - 5 }, (_, i) => [`k${i}`, i])), // 20 keys, less the null one
    });
    const a = (await stored(appt.i))!.data!.p as Record<string, unknown>;
    expect(Object.keys(a)).toHaveLength(LIMITS.maxProps);
    expect(a).toMatchObject({ store: 'sh-xuhui', style: '北欧'.repeat(200).slice(0, LIMITS.propValueLength), k17: 17 });
    expect(a).not.toHaveProperty('k18');
  });

  it('refuses events past the batch limit in one entry, keeping the first ones', async () => {
    const events = Array.from({ length: LIMITS.maxEvents + 2 }, () => ev());
    const body = (await (await post({ s: site, e: events })).json()) as CollectResult;
    expect(body.accepted).toBe(LIMITS.maxEvents);
    expect(body.rejected).toEqual([
      { index: LIMITS.maxEvents, code: 'too_many_events', message: expect.stringContaining(`events 50 to 51 were refused`) },
    ]);
    expect(await stored(events[LIMITS.maxEvents - 1].i)).not.toBeNull();
    expect(await stored(events[LIMITS.maxEvents].i)).toBeNull();
  });

  it('keeps the answer small for a body of thousands of tiny events', async () => {
    const res = await post(JSON.stringify({ s: site, e: Array.from({ length: 20_000 }, () => 0) }));
    const body = (await res.json()) as CollectResult;
    expect(res.status).toBe(202);
    expect(body.rejected).toHaveLength(LIMITS.maxEvents + 1);
  });

  it('stores the same id twice in one batch once', async () => {
    const e = ev();
    const body = (await (await post({ s: site, e: [e, { ...e }] })).json()) as CollectResult;
    expect(body).toMatchObject({ accepted: 2, duplicates: 1, rejected: [] });
    expect((await storedEvents(site)).filter((x) => x.id === e.i)).toHaveLength(1);
  });

  it('stores only the allow-listed landing parameters, and no query string anywhere', async () => {
    const e = ev({
      u: '/#/sku/bed-330?phone=13800138000',
      r: 'https://www.baidu.com/s?wd=13800138000',
      q: { ch: 'baidu_sem', utm_source: 'baidu', phone: '13800138000', name: '张三' },
    });
    await post({ s: site, e: [e] });
    const row = await stored(e.i);
    expect(row).toMatchObject({ path: '/#/sku/bed-330' });
    expect(row!.data).toEqual({ r: 'https://www.baidu.com/s', q: { ch: 'baidu_sem', utm_source: 'baidu' } });
    expect(JSON.stringify(row)).not.toContain('13800138000');
  });

  it.each([
    ['an id with a space', { i: 'has space' }, 'invalid_field'],
    ['an id too long', { i: 'x'.repeat(LIMITS.idLength + 1) }, 'field_too_long'],
    ['no visitor id', { v: undefined }, 'missing_field'],
    ['a negative time', { ts: -5 }, 'invalid_field'],
    ['a time as text', { ts: 'yesterday' }, 'invalid_field'],
    ['a referrer that is not text', { r: 42 }, 'invalid_field'],
    ['a SKU that is an object', { k: { sku: 'x' } }, 'invalid_field'],
    ['a number as channel code', { q: { ch: 5 } }, 'invalid_field'],
    ['parameters that are not an object', { q: ['ch', 'x'] }, 'invalid_field'],
    ['props that are not an object', { t: 'track', n: 'x', p: 'coupon' }, 'invalid_field'],
    ['a negative dwell', { t: 'dwell', d: -1 }, 'invalid_field'],
    ['a track event without a name', { t: 'track' }, 'missing_field'],
    ['a store-side type from a browser', { t: 'arrival' }, 'invalid_type'],
  ])('rejects an event with %s as %s and keeps its neighbour', async (_what, over, code) => {
    const bad = { ...ev(), ...over };
    const good = ev();
    const body = (await (await post({ s: site, e: [bad as never, good] })).json()) as CollectResult;
    expect(body.accepted).toBe(1);
    expect(body.rejected).toEqual([{ index: 0, id: bad.i.slice(0, LIMITS.idLength), code, message: expect.any(String) }]);
    expect(await stored(good.i)).not.toBeNull();
  });

  it.each([
    ['not json', 'invalid_json', 400],
    ['[]', 'invalid_batch', 400],
    ['{"s":"x"}', 'invalid_batch', 400],
    [JSON.stringify({ s: 'no-such-site', e: [ev()] }), 'unknown_site', 403],
  ])('answers %s with %s', async (text, code, status) => {
    const res = await post(text);
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ error: { code } });
  });

  // Shed before the site lookup (issue 16): no real page sends an empty batch,
  // so it costs nothing and tells a prober nothing about which sites exist.
  it('answers an empty batch with 202 and does nothing, even for an unknown site', async () => {
    for (const s of ['no-such-site', site]) {
      const res = await post({ s, e: [] });
      expect(res.status).toBe(202);
      expect(await res.json()).toEqual({ accepted: 0, duplicates: 0, rejected: [] });
    }
    // Nothing was queued: a real batch sent after it is the only message its fold adds.
    const messages = async () => (await env.DB.prepare('SELECT coalesce(SUM(messages), 0) AS n FROM ingest_days WHERE site_key = ?1').bind(site).first<{ n: number }>())!.n;
    const before = await messages();
    await post({ s: site, e: [] });
    await post({ s: site, e: [ev()] });
    expect(await messages()).toBe(before + 1);
  });

  it('refuses a body over the limit with 413', async () => {
    const res = await post(JSON.stringify({ s: site, e: [], pad: 'x'.repeat(LIMITS.maxBodyBytes) }));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 'body_too_large' } });
  });
});
