// Conversions fed back to the ad platforms: each platform's documented request
// and signing, checked by a receiver at the platform's host (no network), for
// each funnel stage; in workerd against real D1 and the real queue's fold.
import { describe, expect, it } from 'vitest';
import { reasonOf } from '../../worker/adplatforms/stages';
import {
  adLead, adRows, adSite, allDelivered, arrive, clickLand, received, screen, sell, SECRETS,
} from './adplatforms-fixtures';
import { book, rows } from './leads-fixtures';

const ORIGIN = { origins: ['https://shop.example.cn'] };

describe('Baidu oCPC', () => {
  it('sends every stage with the landing URL carrying bd_vid; an unqualified lead through uploadInvalidConvertData with its reason', async () => {
    const s = await adSite({ baidu: { secretName: 'BAIDU_OCPC_TOKEN_TEST', types: { qualified: 20, arrival: 26, deal: 27 } } }, ORIGIN);
    const good = await adLead(s.site, { bd_vid: 'ok-bd1', ch: 'baidu_sem' });
    const bad = await adLead(s.site, { bd_vid: 'ok-bd2' });
    expect((await screen(s, good, 'qualified')).status).toBe(200);
    expect((await screen(s, bad, 'unqualified', '空号\u0000 13800138000，\n不是本人')).status).toBe(200);
    expect((await arrive(s, good)).status).toBe(201);
    expect((await sell(s, good, 1_880_000)).status).toBe(201);

    const done = await allDelivered(s.site, 6);
    expect(done.map((d) => [d.lead_code, d.stage, d.conv_type, d.attempts, d.last_status])).toEqual(expect.arrayContaining([
      [good, 'appointment', '3', 1, 200], [bad, 'appointment', '3', 1, 200], [good, 'qualified', '20', 1, 200],
      [bad, 'unqualified', '3', 1, 200], [good, 'arrival', '26', 1, 200], [good, 'deal', '27', 1, 200],
    ]));
    const got = [...(await received('bd1')), ...(await received('bd2'))];
    expect(got.every((g) => g.problem === null && g.platform === 'baidu')).toBe(true);
    expect(got).toHaveLength(6);
    const deal = got.find((g) => g.type === 27)!;
    expect(deal.body.conversionTypes[0]).toMatchObject({ logidUrl: 'https://shop.example.cn/sofa?bd_vid=ok-bd1', newType: 27, convertValue: 1_880_000 });
    const invalid = got.find((g) => g.path.endsWith('uploadInvalidConvertData'))!;
    expect(invalid.body.invalidConversionTypes[0]).toMatchObject({ logidUrl: 'https://shop.example.cn/sofa?bd_vid=ok-bd2', convertType: 3, invalidReason: '空号 …， 不是本人' });
    // The admin sees what went, the token masked.
    expect(done.every((d) => d.sent!.includes('"token":"••••"') && !d.sent!.includes(SECRETS.baidu))).toBe(true);
    expect(done[0].answer).toContain('"status":0');
  });
});

describe('Ocean Engine', () => {
  it('sends the documented events with the landing clickid as callback, and the deal with pay_amount', async () => {
    const s = await adSite({ oceanengine: {} });
    const code = await adLead(s.site, { clickid: 'ok-oe1' });
    await screen(s, code, 'qualified');
    await arrive(s, code);
    await sell(s, code, 1_234_500);
    const done = await allDelivered(s.site, 4);
    expect(done.map((d) => [d.stage, d.conv_type])).toEqual([['appointment', 'form'], ['qualified', 'clue_confirm'], ['arrival', 'arrival_lead'], ['deal', 'active_pay']]);
    const got = await received('oe1');
    expect(got.map((g) => g.problem)).toEqual([null, null, null, null]);
    expect(got.find((g) => g.type === 'active_pay')!.body).toMatchObject({ context: { ad: { callback: 'ok-oe1' } }, properties: { pay_amount: 12345 } });
    expect(got.every((g) => !('access-token' in g.headers))).toBe(true); // no secret named: none sent
  });
});

describe('Tencent Ads', () => {
  it('sends actions with gdt_vid or qz_gdt as trace.click_id, the token in the query and the order value in fen', async () => {
    const s = await adSite({ tencent: { secretName: 'TENCENT_ADS_TOKEN_TEST', accountId: '10086', userActionSetId: '1100220033' } });
    const wx = await adLead(s.site, { gdt_vid: 'ok-gdt1' });
    const qq = await adLead(s.site, { qz_gdt: 'ok-gdt2' });
    await screen(s, wx, 'qualified');
    await screen(s, qq, 'unqualified'); // no default type for it: nothing sent
    await arrive(s, wx); // nor for an arrival
    await sell(s, wx, 5_000_000);
    const done = await allDelivered(s.site, 4);
    expect(done.map((d) => [d.lead_code, d.stage, d.conv_type])).toEqual(expect.arrayContaining([
      [wx, 'appointment', 'RESERVATION'], [qq, 'appointment', 'RESERVATION'], [wx, 'qualified', 'CONFIRM_EFFECTIVE_LEADS'], [wx, 'deal', 'COMPLETE_ORDER'],
    ]));
    const got = [...(await received('gdt1')), ...(await received('gdt2'))];
    expect(got.map((g) => g.problem)).toEqual([null, null, null, null]);
    expect(got[0].body).toMatchObject({ account_id: 10086, user_action_set_id: 1100220033 });
    expect(got[0].query.access_token).toBe(SECRETS.tencent);
    expect(got.find((g) => g.type === 'COMPLETE_ORDER')!.body.actions[0]).toMatchObject({ trace: { click_id: 'ok-gdt1' }, action_param: { value: 5_000_000 } });
    expect(done.every((d) => !JSON.stringify(d).includes(SECRETS.tencent))).toBe(true);
  });
});

describe('360', () => {
  it('sends the form submission signed with App-Sign = md5(secret + body)', async () => {
    const s = await adSite({ qihoo360: { secretName: 'QIHOO360_SECRET_TEST', appKey: 'qihoo-app-key' } });
    await adLead(s.site, { qhclickid: 'ok-qh1' });
    const [d] = await allDelivered(s.site, 1);
    expect(d.conv_type).toBe('SUBMIT');
    const [g] = await received('qh1');
    expect(g.problem).toBeNull();
    expect(g.body.data.data_detail).toMatchObject({ qhclickid: 'ok-qh1', event: 'SUBMIT', trans_id: d.id });
  });
});

describe('what is sent, and what not', () => {
  it('sends nothing for a lead without a click id, nor for a platform the site has no connector for', async () => {
    const s = await adSite({ baidu: { secretName: 'BAIDU_OCPC_TOKEN_TEST' } });
    const plain = await adLead(s.site, { ch: 'wechat_moments' });
    const other = await adLead(s.site, { clickid: 'ok-notconnected' });
    await screen(s, plain, 'unqualified');
    await sell(s, other, 100);
    expect(await adRows(s.site)).toEqual([]);
    expect(await rows('SELECT * FROM ad_clicks WHERE site_key = ?1', s.site)).toEqual([]); // no connector: not even kept
  });

  it('is idempotent per lead, platform and stage: a replayed appointment, a second screening, a second deal, a second cron', async () => {
    const s = await adSite({ baidu: { secretName: 'BAIDU_OCPC_TOKEN_TEST', types: { qualified: 20, deal: 27 } } });
    const v = await clickLand(s.site, { bd_vid: 'ok-idem' });
    const code = await book(s.site, v, { store: 'sh-1' }, { i: 'appt-idem-1' });
    expect(await book(s.site, v, { store: 'sh-1' }, { i: 'appt-idem-1' })).toBe(code); // the browser's replay
    await screen(s, code, 'qualified');
    await screen(s, code, 'qualified');
    await sell(s, code, 100);
    await sell(s, code, 200);
    const done = await allDelivered(s.site, 3);
    expect(done.map((d) => [d.stage, d.value])).toEqual([['appointment', null], ['qualified', null], ['deal', 100]]);
    expect(await received('idem')).toHaveLength(3);
  });

  it('keeps hostile click ids and notes as data: escaped in JSON, cut, never breaking the request', async () => {
    const s = await adSite({ oceanengine: {}, baidu: { secretName: 'BAIDU_OCPC_TOKEN_TEST' } });
    const evil = `ok-evil"}]<script>\u2028'; DROP TABLE leads;--${'界'.repeat(300)}`;
    const a = await adLead(s.site, { clickid: evil, bd_vid: evil });
    await screen(s, a, 'unqualified', '"}]\u202e<img src=x onerror=alert(1)>');
    const done = await allDelivered(s.site, 3);
    const click = done[0].click_id;
    expect(click.length).toBe(256); // the worker's parameter limit
    expect(evil.startsWith(click)).toBe(true);
    const got = await received('evil');
    expect(got.map((g) => g.problem)).toEqual([null, null, null]);
    expect(got.find((g) => g.platform === 'oceanengine')!.body.context.ad.callback).toBe(click);
    expect(done.find((d) => d.stage === 'unqualified')!.reason).toBe('"}] <img src=x onerror=alert(1)>');
  });

  it('cuts a screening note to a one-line reason without phone numbers', () => {
    expect(reasonOf('客户说\n电话 138-0013-8000 不是他')).toBe('客户说 电话 … 不是他');
    expect(reasonOf('  ')).toBeNull();
    expect([...reasonOf('长'.repeat(300))!]).toHaveLength(100);
  });
});
