// POST /api/v1/leads: the service desk books a store visit for a visitor, and
// the `service` token it uses. Every lead goes through the real worker, the
// real queue and the real fold; a test waits for the fold by polling D1.
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, call, ev, foldOf, postOnly, storedEvent, today } from './helpers';
import { book, collect, CRM_SECRET, land, offlineSite, row, rows, type OfflineSite } from './leads-fixtures';

type Json = Record<string, any>;

async function serviceToken(sites: string[], stores?: { site: string; store: string }[]): Promise<string> {
  const res = await call('/api/v1/admin/tokens', { method: 'POST', token: ADMIN, json: { kind: 'service', sites, stores, label: '客服小王' } });
  expect(res.status).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

/** Books through the API and, when it queued its event, waits for the fold (the helpers' count, as after /collect). */
async function booking(token: string, body: Json): Promise<{ status: number; body: Json }> {
  const res = await call('/api/v1/leads', { method: 'POST', token, json: body });
  const queued = res.headers.get('o2o-queued');
  if (queued) await foldOf(body.site, new Response(null, { status: 202, headers: { 'o2o-queued': queued } }));
  return { status: res.status, body: (await res.json()) as Json };
}

const leadOf = (site: string, code: string) => row<Json>('SELECT * FROM leads WHERE site_key = ?1 AND code = ?2', site, code);
const leadsOfVisitor = (site: string, visitor: string) => rows<Json>('SELECT code, source, store_id FROM leads WHERE site_key = ?1 AND visitor_id = ?2', site, visitor);
const credit = (l: Json | null) => l && [l.first_channel, l.first_campaign, l.last_channel, l.last_campaign];
const created = async (site: string) =>
  (await rows<{ body: string }>("SELECT body FROM crm_deliveries WHERE site_key = ?1 AND type = 'lead.created'", site)).map((r) => JSON.parse(r.body).data.lead as Json);

let s: OfflineSite;
let service: string;
beforeAll(async () => {
  s = await offlineSite();
  service = await serviceToken([s.site]);
  // A CRM, so the fold writes its outbox rows (the receiver is test/worker/crm-receiver.js).
  expect((await call(`/api/v1/admin/sites/${s.site}/crm`, { method: 'PUT', token: ADMIN, json: { url: 'http://crm.test/ok/booking', secret: CRM_SECRET } })).status).toBe(201);
});

describe('the service token', () => {
  it('is issued by the admin API with its own prefix and listed as service', async () => {
    const res = await call('/api/v1/admin/tokens', { method: 'POST', token: ADMIN, json: { kind: 'service', sites: [s.site] } });
    const made = (await res.json()) as Json;
    expect(res.status).toBe(201);
    expect(made).toMatchObject({ kind: 'service', sites: [s.site], stores: [] });
    expect(made.token).toMatch(/^o2o_c_[A-Za-z0-9_-]{32}$/);
    const list = (await (await call(`/api/v1/admin/tokens?site=${s.site}`, { token: ADMIN })).json()) as { tokens: Json[] };
    expect(list.tokens.find((t) => t.id === made.id)).toMatchObject({ kind: 'service', revokedAt: null });
    expect((await call('/api/v1/admin/tokens', { method: 'POST', token: ADMIN, json: { kind: 'desk', sites: [s.site] } })).status).toBe(400);
  });

  it('reads its session, relays conversation events, and books', async () => {
    const session = await call('/api/v1/session', { token: service });
    expect(session.status).toBe(200);
    expect(await session.json()).toMatchObject({ kind: 'service', stores: '*', sites: [{ siteKey: s.site }] });
    const relay = await call('/api/v1/conversations', { method: 'POST', token: service, json: { site: s.site, events: [{ conversation: 'svc-1', type: 'started' }] } });
    expect(relay.status).toBe(200);
    expect(await relay.json()).toMatchObject({ accepted: 1, rejected: [] });
  });

  it('is refused by every report, the leads list and the store endpoints (403)', async () => {
    const d = today();
    const refused: [string, string, unknown?][] = [
      ['GET', `/api/v1/reports/channels?site=${s.site}&from=${d}&to=${d}`],
      ['GET', `/api/v1/reports/sku-interest?site=${s.site}&from=${d}&to=${d}`],
      ['GET', `/api/v1/reports/stocking?site=${s.site}&from=${d}&to=${d}`],
      ['POST', `/api/v1/reports/sku-interest/fit?site=${s.site}&from=${d}&to=${d}`, {}],
      ['GET', `/api/v1/reports/service?site=${s.site}&from=${d}&to=${d}`],
      ['GET', `/api/v1/spend?site=${s.site}&from=${d}&to=${d}`],
      ['GET', `/api/v1/leads?site=${s.site}&from=${d}&to=${d}`],
      ['POST', '/api/v1/arrivals', { site: s.site, store: 'sh-1', visitor: 'v_x' }],
      ['GET', `/api/v1/admin/sites/${s.site}`],
    ];
    for (const [method, path, json] of refused) {
      const res = await call(path, { method, token: service, json });
      expect([path, res.status]).toEqual([path, 403]);
      expect(((await res.json()) as Json).error.code).toMatch(/forbidden/);
    }
  });

  it('reads its sites\' SKUs for the booking form, and not another site\'s', async () => {
    const res = await call(`/api/v1/skus?site=${s.site}`, { token: service });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Json).site).toBe(s.site);
    expect((await call('/api/v1/skus?site=demo', { token: service })).status).toBe(403);
  });

  it('may not book with a report or store token', async () => {
    for (const token of [s.report, s.all]) {
      const res = await call('/api/v1/leads', { method: 'POST', token, json: { site: s.site, visitor: 'v_no', store: 'sh-1' } });
      expect(res.status).toBe(403);
    }
  });
});

describe('a booking is the form appointment', () => {
  it('credits the lead as the form does for the same journey, and writes the same lead.created', async () => {
    const formVisitor = await land(s.site, 'baidu_sem');
    const deskVisitor = await land(s.site, 'baidu_sem');
    const formCode = await book(s.site, formVisitor, { store: 'sh-1', budget: 20000, style: '北欧' });
    const r = await booking(service, {
      site: s.site, visitor: deskVisitor, store: 'sh-1', budget: 2_000_000, style: '北欧', skus: ['SOFA-101', 'BED-330'],
      time: '周六下午', note: '想看灰色布艺款', name: '王女士', phone: '138 0013 8000',
    });
    expect(r.status).toBe(201);
    expect(r.body.duplicate).toBe(false);
    expect(r.body.lead).toMatchObject({
      site: s.site, visitor: deskVisitor, store: 'sh-1', status: 'new', source: 'desk', conversation: null, budget: 2_000_000, style: '北欧',
      skus: ['SOFA-101', 'BED-330'], note: '想看灰色布艺款', props: { name: '王女士', phone: '138 0013 8000', time: '周六下午' }, day: today(),
      lastChannel: 'baidu_sem', region: '上海', city: '上海', // the visitor's place, not the agent's
    });
    const [form, desk] = [await leadOf(s.site, formCode), await leadOf(s.site, r.body.lead.code)];
    expect(credit(desk)).toEqual(credit(form));
    expect(credit(desk)).toEqual(['baidu_sem', null, 'baidu_sem', null]);
    expect([form!.source, desk!.source]).toEqual(['form', 'desk']);
    // The fold wrote each lead's webhook with the credit it gave, in its batch.
    const hooks = await created(s.site);
    expect(hooks.find((l) => l.code === formCode)).toMatchObject({ source: 'form', lastChannel: 'baidu_sem' });
    expect(hooks.find((l) => l.code === r.body.lead.code)).toMatchObject({ source: 'desk', lastChannel: 'baidu_sem', props: { phone: '138 0013 8000' } });
    // One appointment each in the funnel, under the channel.
    const report = (await (await call(`/api/v1/reports/channels?site=${s.site}&from=${today()}&to=${today()}`, { token: s.report })).json()) as Json;
    expect(report.rows.find((x: Json) => x.channel === 'baidu_sem')).toMatchObject({ appointments: 2 });
    // The folded event holds what a form sends (the store, the budget in yuan, the first SKU), never the phone or the name.
    const event = await storedEvent(s.site, desk!.event_id);
    expect(event).toMatchObject({ type: 'appointment', visitor: deskVisitor, channel: 'baidu_sem', data: { p: { store: 'sh-1', budget: 20000, style: '北欧', sku: 'SOFA-101' } } });
    expect(JSON.stringify(event)).not.toMatch(/138|王女士/);
  });

  it('credits by event time: a landing sent a moment before the booking, not yet folded, credits it', async () => {
    const v = `v_late_${Date.now()}`;
    const landing = await postOnly({ s: s.site, e: [ev({ v, ss: `s_${v}`, q: { ch: 'douyin_ads' } })] });
    expect(landing.status).toBe(202);
    const r = await booking(service, { site: s.site, visitor: v, store: 'bj-1' });
    await foldOf(s.site, landing);
    expect(r.status).toBe(201);
    expect(credit(await leadOf(s.site, r.body.lead.code))).toEqual(['douyin_ads', null, 'douyin_ads', null]);
  });

  it('books a visitor the site has not seen: credited direct, and the visitor now exists', async () => {
    const v = `v_new_${Date.now()}`;
    const r = await booking(service, { site: s.site, visitor: v, store: 'sh-1' });
    expect(r.status).toBe(201);
    expect(r.body.lead).toMatchObject({ visitor: v, firstChannel: 'direct', lastChannel: 'direct', region: null });
    expect(await row('SELECT first_channel FROM visitors WHERE site_key = ?1 AND visitor_id = ?2', s.site, v)).toEqual({ first_channel: 'direct' });
  });
});

describe('one appointment per visitor, store and day', () => {
  it('form first: the booking answers the form’s code (200, duplicate) and makes no second lead or webhook', async () => {
    const v = await land(s.site, 'zhihu');
    const code = await book(s.site, v, { store: 'sh-1' });
    const r = await booking(service, { site: s.site, visitor: v, store: 'sh-1', note: '已在线预约过' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ duplicate: true, lead: { code, source: 'form' } });
    expect(await leadsOfVisitor(s.site, v)).toHaveLength(1);
    expect((await created(s.site)).filter((l) => l.visitor === v)).toHaveLength(1);
  });

  it('booking first: the form answers the booking’s code, and a booking for another store is its own lead', async () => {
    const v = await land(s.site, 'zhihu');
    const r = await booking(service, { site: s.site, visitor: v, store: 'sh-1' });
    expect(r.status).toBe(201);
    expect(await book(s.site, v, { store: 'sh-1' })).toBe(r.body.lead.code);
    const other = await booking(service, { site: s.site, visitor: v, store: 'bj-1' });
    expect(other.status).toBe(201);
    expect(other.body.lead.code).not.toBe(r.body.lead.code);
    expect((await leadsOfVisitor(s.site, v)).map((l) => [l.store_id, l.source]).sort()).toEqual([['bj-1', 'desk'], ['sh-1', 'desk']]);
    expect((await created(s.site)).filter((l) => l.visitor === v)).toHaveLength(2);
  });

  it('the same booking sent again answers its code; two forms stay two leads, as before', async () => {
    const v = await land(s.site, 'zhihu');
    const first = await booking(service, { site: s.site, visitor: v, store: 'bj-1' });
    const again = await booking(service, { site: s.site, visitor: v, store: 'bj-1', budget: 100 });
    expect([first.status, again.status, again.body.duplicate]).toEqual([201, 200, true]);
    expect(again.body.lead).toMatchObject({ code: first.body.lead.code, budget: null });
    const w = await land(s.site, 'zhihu');
    const [a, b] = [await book(s.site, w, { store: 'sh-1' }), await book(s.site, w, { store: 'sh-1' })];
    expect(a).not.toBe(b);
  });

  it('two bookings at once: one lead, one answered 201 and the other 200 with its code', async () => {
    const v = await land(s.site, 'wechat');
    const both = await Promise.all([1, 2].map(() => booking(service, { site: s.site, visitor: v, store: 'sh-1' })));
    expect(both.map((x) => x.status).sort()).toEqual([200, 201]);
    expect(both[0].body.lead.code).toBe(both[1].body.lead.code);
    expect(await leadsOfVisitor(s.site, v)).toHaveLength(1);
    expect((await created(s.site)).filter((l) => l.visitor === v)).toHaveLength(1);
  });

  it('a form and a booking at once: one lead, whose code both answer', async () => {
    for (let i = 0; i < 3; i++) {
      const v = await land(s.site, 'wechat');
      const appt = ev({ t: 'appointment', v, ss: `s_${v}`, p: { store: 'bj-1' } });
      const [form, desk] = await Promise.all([collect(s.site, [appt]), booking(service, { site: s.site, visitor: v, store: 'bj-1' })]);
      expect(form.leads![appt.i]).toBe(desk.body.lead.code);
      expect(await leadsOfVisitor(s.site, v)).toHaveLength(1);
    }
  });
});

describe('callbacks', () => {
  it('are leads marked callback, without a store, listed with source=callback (JSON and CSV)', async () => {
    const v = await land(s.site, 'baidu_sem');
    const r = await booking(service, { site: s.site, visitor: v, source: 'callback', phone: '+86 138-0013-8000', name: '李先生', note: '晚上七点后' });
    expect(r.status).toBe(201);
    expect(r.body.lead).toMatchObject({ source: 'callback', store: null, note: '晚上七点后', props: { phone: '+86 138-0013-8000', name: '李先生' }, lastChannel: 'baidu_sem' });
    const again = await booking(service, { site: s.site, visitor: v, source: 'callback', phone: '+86 138-0013-8000' });
    expect(again.body).toMatchObject({ duplicate: true, lead: { code: r.body.lead.code } });
    const q = `site=${s.site}&from=${today()}&to=${today()}`;
    const callbacks = (await (await call(`/api/v1/leads?${q}&source=callback`, { token: s.report })).json()) as { leads: Json[] };
    expect(callbacks.leads.map((l) => l.code)).toContain(r.body.lead.code);
    expect(callbacks.leads.every((l) => l.source === 'callback')).toBe(true);
    const desk = (await (await call(`/api/v1/leads?${q}&source=desk`, { token: s.report })).json()) as { leads: Json[] };
    expect(desk.leads.map((l) => l.code)).not.toContain(r.body.lead.code);
    const csv = await (await call(`/api/v1/leads?${q}&source=callback&format=csv&lang=zh-CN`, { token: s.report })).text();
    expect(csv.split('\r\n')[0]).toContain('来源');
    expect(csv).toContain(`${r.body.lead.code},`);
    expect(csv).toContain(',callback,');
    expect((await call(`/api/v1/leads?${q}&source=chat`, { token: s.report })).status).toBe(400);
  });

  it('a desk booking needs its store', async () => {
    const r = await booking(service, { site: s.site, visitor: 'v_nostore' });
    expect(r).toMatchObject({ status: 400, body: { error: { code: 'missing_field' } } });
  });
});

describe('the conversation it was booked in', () => {
  it('links the lead and the conversation: the service report counts it as booked', async () => {
    const v = await land(s.site, 'zhihu');
    const c = `conv-${Date.now()}`;
    // An external chat system that does not know the visitor id: only the booking ties them.
    await call('/api/v1/conversations', { method: 'POST', token: service, json: { site: s.site, events: [{ conversation: c, type: 'started', agent: '客服小王' }] } });
    const r = await booking(service, { site: s.site, visitor: v, store: 'sh-1', conversation: c });
    expect(r.body.lead).toMatchObject({ conversation: c, source: 'desk' });
    expect(await row('SELECT lead_code, visitor_id FROM conversations WHERE site_key = ?1 AND id = ?2', s.site, c)).toEqual({ lead_code: r.body.lead.code, visitor_id: v });
    const rep = (await (await call(`/api/v1/reports/service?site=${s.site}&from=${today()}&to=${today()}&by=agent`, { token: s.report })).json()) as Json;
    expect(rep.rows.find((x: Json) => x.agent === '客服小王')).toMatchObject({ conversations: 1, appointments: 1 });
  });

  it('refuses a conversation of another visitor (409)', async () => {
    const c = `conv-other-${Date.now()}`;
    await call('/api/v1/conversations', { method: 'POST', token: service, json: { site: s.site, events: [{ conversation: c, type: 'started', visitor: 'v_someone' }] } });
    const r = await booking(service, { site: s.site, visitor: 'v_else', store: 'sh-1', conversation: c });
    expect(r).toMatchObject({ status: 409, body: { error: { code: 'conversation_mismatch' } } });
  });
});

describe('scope and input', () => {
  it('books only in the token’s sites and stores', async () => {
    const other = await offlineSite();
    const v = await land(other.site, 'baidu_sem');
    // Another site: refused; its store named in this site: no such store here.
    expect((await booking(service, { site: other.site, visitor: v, store: 'sh-1' })).status).toBe(403);
    const unknown = await booking(service, { site: s.site, visitor: v, store: 'gz-9' });
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'unknown_store' } } });
    expect(unknown.body.error.message).toContain('gz-9');
    // The other site's visitor, booked here, is a visitor this site has not seen: its own row, direct.
    const here = await booking(service, { site: s.site, visitor: v, store: 'sh-1' });
    expect(here.body.lead).toMatchObject({ lastChannel: 'direct' });
    expect(await leadsOfVisitor(other.site, v)).toHaveLength(0);
    // A service token that names a store books only for it.
    const shOnly = await serviceToken([s.site], [{ site: s.site, store: 'sh-1' }]);
    expect((await booking(shOnly, { site: s.site, visitor: v, store: 'bj-1' })).status).toBe(403);
    expect((await booking(shOnly, { site: s.site, visitor: `${v}2`, store: 'sh-1' })).status).toBe(201);
    // The desk is site-wide: a token held to a store gets no ticket, no transcript, no storeless callback.
    expect((await booking(shOnly, { site: s.site, visitor: `${v}3`, source: 'callback', phone: '13800138000' })).status).toBe(403);
    expect((await call(`/api/v1/desk/ticket?site=${s.site}`, { method: 'POST', token: shOnly })).status).toBe(403);
    const narrowReport = await call('/api/v1/admin/tokens', { method: 'POST', token: ADMIN, json: { kind: 'report', sites: [s.site], stores: [{ site: s.site, store: 'sh-1' }] } });
    expect(narrowReport.status).toBe(201);
    const reportSecret = ((await narrowReport.json()) as Json).token as string;
    const transcript = await call(`/api/v1/conversations/c_any/messages?site=${s.site}`, { token: reportSecret });
    expect(transcript.status).toBe(403);
    expect(((await transcript.json()) as Json).error.message).toContain('site-wide');
    expect((await call(`/api/v1/desk/ticket?site=${s.site}`, { method: 'POST', token: service })).status).toBe(200);
  });

  it('answers bad input with a 400 naming the field', async () => {
    const cases: [Json, string][] = [
      [{ visitor: 'bad id!', store: 'sh-1' }, 'visitor'],
      [{ visitor: 'v_ok', store: 'sh-1', budget: -1 }, 'budget'],
      [{ visitor: 'v_ok', store: 'sh-1', budget: 1.5 }, 'budget'],
      [{ visitor: 'v_ok', store: 'sh-1', phone: '<b>138</b>' }, 'phone'],
      [{ visitor: 'v_ok', store: 'sh-1', skus: Array.from({ length: 51 }, (_, i) => `S${i}`) }, 'skus'],
      [{ visitor: 'v_ok', store: 'sh-1', note: 'x'.repeat(2001) }, 'note'],
      [{ visitor: 'v_ok', store: 'sh-1', source: 'form' }, 'source'],
      [{ visitor: 'v_ok', store: 'sh-1', conversation: 'c'.repeat(129) }, 'conversation'],
    ];
    for (const [body, field] of cases) {
      const r = await booking(service, { site: s.site, ...body });
      expect([field, r.status]).toEqual([field, 400]);
      expect(r.body.error.message).toContain(`"${field}"`);
    }
  });

  it('keeps hostile strings as text, byte for byte, with control characters dropped', async () => {
    const v = await land(s.site, 'zhihu');
    const hostile = {
      note: '<script>alert(1)</script>\n第二行 "引号" \'单引号\' & <img src=x onerror=alert(2)>\u0007',
      style: '=HYPERLINK("http://evil.example","点我")',
      name: '<b>王</b>',
      time: '"); DROP TABLE leads; --',
    };
    const r = await booking(service, { site: s.site, visitor: v, store: 'sh-1', ...hostile });
    expect(r.status).toBe(201);
    const want = { ...hostile, note: hostile.note.replace('\u0007', '') };
    expect(r.body.lead).toMatchObject({ note: want.note, style: want.style, props: { name: want.name, time: want.time } });
    const stored = await leadOf(s.site, r.body.lead.code);
    expect([stored!.note, stored!.style, JSON.parse(stored!.props).time]).toEqual([want.note, want.style, want.time]);
    // In the CSV, the style's formula start is defused.
    const csv = await (await call(`/api/v1/leads?site=${s.site}&from=${today()}&to=${today()}&format=csv`, { token: s.report })).text();
    expect(csv).not.toMatch(/,=HYPERLINK/);
  });
});
