// The ad platforms' conversions when things happen in an awkward order: staff
// quicker than the queue's fold, a later click of the same platform, a paused
// connector, a deal voided before the cron sends it, a landing path too long
// for Baidu. In workerd against real D1 and the real queue's fold.
import { nanoid } from 'nanoid';
import { describe, expect, it } from 'vitest';
import { logidUrlOf } from '../../worker/adplatforms/baidu';
import { encodePath, landingUrl } from '../../worker/adplatforms/stages';
import { adLead, adRows, adSite, allDelivered, connect, cron, received, sell } from './adplatforms-fixtures';
import { ADMIN, call, ev, foldOf, postOnly, today } from './helpers';
import { collect, row, rows } from './leads-fixtures';

const H = 3_600_000;
const ORIGIN = { origins: ['https://shop.example.cn'] };

describe('stages recorded before the fold credits the lead', () => {
  it('are sent when the fold takes the click, and the early arrival and deal take the lead\'s channel and shares', async () => {
    const s = await adSite({ oceanengine: {} });
    const v = `v_${nanoid(8)}`;
    const t = Date.now() - 2 * H;
    const appt = ev({ t: 'appointment', v, ss: 'x', ts: t + 60_000, u: '/a', p: { store: 'sh-1' } });
    // The click and the booking in two requests; staff act before the queue folds them (its batch waits 2 s).
    const view = await postOnly({ s: s.site, e: [ev({ v, ss: 'x', ts: t, u: '/sofa', q: { ch: 'baidu_sem', clickid: 'ok-race1' } })] } as never);
    const res = await postOnly({ s: s.site, e: [appt] } as never);
    const code = ((await res.clone().json()) as { leads: Record<string, string> }).leads[appt.i];
    expect((await call(`/api/v1/leads/${code}`, { method: 'PATCH', token: s.report, json: { site: s.site, status: 'qualified' } })).status).toBe(200);
    const arrival = await call('/api/v1/arrivals', { method: 'POST', token: s.sh, json: { lead: code, store: 'sh-1' } });
    const deal = await sell(s, code, 50_000);
    expect(arrival.status).toBe(201);
    expect(deal.status).toBe(201);
    expect((await adRows(s.site))).toEqual([]); // the race happened: nothing known of the click yet
    expect(((await deal.json()) as { deal: { lastChannel: string } }).deal.lastChannel).toBe('direct');
    await foldOf(s.site, view);
    await foldOf(s.site, res);

    const done = await allDelivered(s.site, 4);
    expect(done.map((d) => [d.stage, d.click_id, d.value])).toEqual([
      ['appointment', 'ok-race1', null], ['qualified', 'ok-race1', null], ['arrival', 'ok-race1', null], ['deal', 'ok-race1', 50_000],
    ]);
    expect((await received('race1')).map((g) => g.type).sort()).toEqual(['active_pay', 'arrival_lead', 'clue_confirm', 'form']);

    const lead = await row<{ last_channel: string; credit: string }>('SELECT last_channel, credit FROM leads WHERE site_key = ?1', s.site);
    expect(lead!.last_channel).toBe('baidu_sem');
    expect(lead!.credit).not.toBeNull();
    for (const table of ['arrivals', 'deals']) {
      expect(await row(`SELECT first_channel, last_channel, credit FROM ${table} WHERE site_key = ?1`, s.site))
        .toEqual({ first_channel: 'baidu_sem', last_channel: 'baidu_sem', credit: lead!.credit });
    }
    // The reports count them for the lead's channel, in first/last touch and in the shared models alike.
    const from = new Date(t - 24 * H + 8 * H).toISOString().slice(0, 10);
    for (const m of ['last', 'linear']) {
      const body = (await (await call(`/api/v1/reports/channels?site=${s.site}&from=${from}&to=${today()}&attribution=${m}`, { token: ADMIN })).json()) as {
        rows: { channel: string; arrivals: number; deals: number; revenue: number }[];
      };
      const by = new Map(body.rows.map((r) => [r.channel, r]));
      expect(by.get('baidu_sem'), m).toMatchObject({ arrivals: 1, deals: 1, revenue: 50_000 });
      expect(by.get('direct')?.arrivals ?? 0, m).toBe(0);
    }
  });

  it('reports an unqualified screening made before the fold with its reason', async () => {
    const s = await adSite({ baidu: { secretName: 'BAIDU_OCPC_TOKEN_TEST' } }, ORIGIN);
    const v = `v_${nanoid(8)}`;
    const appt = ev({ t: 'appointment', v, ss: 'x', u: '/a', p: { store: 'sh-1' } });
    const res = await postOnly({ s: s.site, e: [ev({ v, ss: 'x', ts: appt.ts - 5_000, u: '/sofa', q: { bd_vid: 'ok-race2' } }), appt] } as never);
    const code = ((await res.clone().json()) as { leads: Record<string, string> }).leads[appt.i];
    await call(`/api/v1/leads/${code}`, { method: 'PATCH', token: s.report, json: { site: s.site, status: 'unqualified', note: '空号 13800138000' } });
    await foldOf(s.site, res);
    const done = await allDelivered(s.site, 2);
    expect(done.map((d) => [d.stage, d.reason])).toEqual([['appointment', null], ['unqualified', '空号 …']]);
  });
});

describe('a later click of the same platform', () => {
  it('never takes the place of the click the lead was booked with, in one fold or a later one', async () => {
    const s = await adSite({ oceanengine: {} });
    const v = `v_${nanoid(6)}`;
    const t0 = Date.now() - H;
    const appt = ev({ t: 'appointment', v, ss: 'x', ts: t0 + 60_000, u: '/a', p: { store: 'sh-1' } });
    // An offline queue flushed at once: click A, the booking, click B half an hour later.
    await collect(s.site, [ev({ v, ss: 'x', ts: t0, q: { clickid: 'ok-ordA' } }), appt, ev({ v, ss: 'y', ts: t0 + 1_800_000, q: { clickid: 'ok-ordB' } })]);
    const done = await allDelivered(s.site, 1);
    expect(done.map((d) => [d.stage, d.click_id])).toEqual([['appointment', 'ok-ordA']]);

    // A booking that reaches the fold after a newer click: it still finds its own.
    const w = `w_${nanoid(6)}`;
    await collect(s.site, [ev({ v: w, ss: 'x', ts: t0, q: { clickid: 'ok-ordC' } }), ev({ v: w, ss: 'y', ts: t0 + 1_800_000, q: { clickid: 'ok-ordD' } })]);
    const late = ev({ t: 'appointment', v: w, ss: 'x', ts: t0 + 60_000, u: '/a', p: { store: 'sh-1' } });
    await collect(s.site, [late]);
    expect((await allDelivered(s.site, 2)).map((d) => d.click_id).sort()).toEqual(['ok-ordA', 'ok-ordC']);
  });

  it('keeps at most the 10 newest clicks of a visitor and platform', async () => {
    const s = await adSite({ oceanengine: {} });
    const v = `v_${nanoid(6)}`;
    const t0 = Date.now() - 2 * H;
    await collect(s.site, Array.from({ length: 14 }, (_, i) => ev({ v, ss: `s${i}`, ts: t0 + i * 60_000, q: { clickid: `ok-many${i}` } })));
    const kept = await rows<{ click_id: string }>('SELECT click_id FROM ad_clicks WHERE site_key = ?1 AND visitor_id = ?2 ORDER BY at', s.site, v);
    expect(kept.map((k) => k.click_id)).toEqual(Array.from({ length: 10 }, (_, i) => `ok-many${i + 4}`));
  });
});

describe('a paused connector', () => {
  it('holds its pending conversions without using up their attempts; on again, they go', async () => {
    const s = await adSite({ oceanengine: {} });
    await adLead(s.site, { clickid: 'flaky-pause1' }); // refused once: pending, its retry due later
    const [first] = await adRows(s.site);
    expect([first.status, first.attempts]).toEqual(['pending', 1]);
    expect((await connect(s.site, 'oceanengine', { enabled: false })).status).toBe(200);
    for (let i = 0; i < 9; i++) await cron(Date.now() + i * 30 * 24 * H);
    expect((await adRows(s.site)).map((d) => [d.status, d.attempts])).toEqual([['pending', 1]]);
    expect(await received('pause1')).toHaveLength(1);
    await connect(s.site, 'oceanengine', { enabled: true });
    await cron(first.next_at);
    expect((await adRows(s.site)).map((d) => [d.status, d.attempts])).toEqual([['delivered', 2]]);
  });
});

describe('a deal voided before the cron sends it', () => {
  it('is not sent; the lead\'s corrected deal is, and a sent deal stays sent', async () => {
    const s = await adSite({ oceanengine: {} });
    const code = await adLead(s.site, { clickid: 'ok-void1' });
    const wrong = ((await (await sell(s, code, 188_000_000)).json()) as { deal: { id: string } }).deal.id;
    const right = await sell(s, code, 1_880_000);
    expect((await call(`/api/v1/deals/${wrong}/void`, { method: 'POST', token: s.sh, json: { reason: 'typo' } })).status).toBe(200);
    const done = await allDelivered(s.site, 2);
    expect(done.map((d) => [d.stage, d.value])).toEqual([['appointment', null], ['deal', 1_880_000]]);
    expect((await received('void1')).find((g) => g.type === 'active_pay')!.body.properties).toEqual({ pay_amount: 18_800 });

    // Voided once sent: the platform keeps it, the outbox too, nothing else goes.
    const rightId = ((await right.json()) as { deal: { id: string } }).deal.id;
    await call(`/api/v1/deals/${rightId}/void`, { method: 'POST', token: s.sh, json: { reason: 'refund' } });
    await sell(s, code, 900_000);
    await cron();
    expect((await adRows(s.site)).map((d) => [d.stage, d.value, d.status])).toEqual([['appointment', null, 'delivered'], ['deal', 1_880_000, 'delivered']]);
  });
});

describe('Baidu\'s logidUrl', () => {
  it('carries the path percent-encoded, and a long one shortened with bd_vid whole', async () => {
    expect(landingUrl('https://shop.example.cn', '/沙发 a%zz/%E4%B8%AD?x#y', 'bd_vid', 'ok-1')).toBe('https://shop.example.cn/%E6%B2%99%E5%8F%91%20a%25zz/%E4%B8%AD?bd_vid=ok-1');
    expect(encodePath('/a&b=c;d')).toBe('/a&b=c;d');
    const long = landingUrl('https://shop.example.cn', `/${'中'.repeat(400)}`, 'bd_vid', 'ok-long');
    expect(long.length).toBeGreaterThan(1024);
    const cut = logidUrlOf(long);
    expect(cut.length).toBeLessThanOrEqual(1024);
    expect(cut.startsWith('https://shop.example.cn/%E4%B8%AD')).toBe(true);
    expect(new URL(cut).searchParams.get('bd_vid')).toBe('ok-long');
    expect(decodeURIComponent(new URL(cut).pathname)).toMatch(/^\/中+$/);
    expect(logidUrlOf('https://shop.example.cn/sofa?bd_vid=x')).toBe('https://shop.example.cn/sofa?bd_vid=x');

    // Through the fold and the cron: the longest path a view keeps and a long CJK click id, whose URL passes 1,024.
    const s = await adSite({ baidu: { secretName: 'BAIDU_OCPC_TOKEN_TEST' } }, ORIGIN);
    const id = `ok-bdcut${'中'.repeat(100)}`;
    const v = `v_${nanoid(6)}`;
    await collect(s.site, [ev({ v, ss: 'x', u: `/${'p'.repeat(511)}`, q: { bd_vid: id } })]);
    await collect(s.site, [ev({ t: 'appointment', v, ss: 'x', u: '/a', p: { store: 'sh-1' } })]);
    await allDelivered(s.site, 1);
    const got = await received('bdcut');
    expect(got.map((g) => [g.problem, g.clickId])).toEqual([[null, id]]);
    expect(got[0].body.conversionTypes[0].logidUrl).toMatch(/^https:\/\/shop\.example\.cn\/p+\?bd_vid=/);
  });
});

