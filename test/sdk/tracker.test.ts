// The npm build (dist/index.mjs, imported by its package name) under happy-dom,
// with only the network stubbed; every behaviour of issue 4 asserted on payloads.
import { createTracker, type Tracker, type TrackerOptions } from 'o2o-tracker';
import { LIMITS, type WireEvent } from '../../protocol/wire';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { checkEvent } from '../../worker/validate/event';
import { events, installNet, net, setHidden, settle } from './net';

const T0 = Date.UTC(2026, 4, 1, 2, 0, 0);
let trackers: Tracker[] = [];
const make = (o: Partial<TrackerOptions> = {}) => {
  const t = createTracker({ site: 'acme', endpoint: 'https://stats.acme.cn', ...o });
  trackers.push(t);
  return t;
};

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
  installNet();
  localStorage.clear();
  document.head.innerHTML = '';
  document.body.innerHTML = '';
  history.replaceState(null, '', '/');
  setHidden(false);
});
afterEach(() => {
  for (const t of trackers) t.stop();
  trackers = [];
  net.sent = [];
  vi.useRealTimers();
});

describe('set-up', () => {
  it('fails fast on missing options or a bad consult selector, naming the function', () => {
    expect(() => createTracker({ site: '', endpoint: 'https://x' })).toThrow(/createTracker.*site/);
    expect(() => createTracker({ site: 's', endpoint: '' })).toThrow(/createTracker.*endpoint/);
    expect(() => createTracker({ site: 's', endpoint: 'https://x', consult: '#(' })).toThrow();
  });

  it('posts to /collect whatever form the endpoint takes', () => {
    for (const endpoint of ['https://x.cn', 'https://x.cn/', 'https://x.cn/collect']) {
      net.sent = [];
      const t = make({ endpoint });
      t.view();
      t.flush();
      expect(net.sent[0].url).toBe('https://x.cn/collect');
      t.stop();
    }
  });
});

describe('channel', () => {
  it('sends the path, the referrer without its query, and only allow-listed parameters', () => {
    history.replaceState(null, '', '/sku/sofa-101?ch=baidu_sem&pr=zhang3&phone=13800138000&utm_source=baidu&utm_term=sofa&bd_vid=B1&name=Li');
    Object.defineProperty(document, 'referrer', { configurable: true, value: 'https://www.baidu.com/link?wd=13800138000#x' });
    make().view();
    vi.advanceTimersByTime(2000); // the time threshold
    expect(net.sent).toHaveLength(1);
    expect(net.sent[0]).toMatchObject({ via: 'beacon', url: 'https://stats.acme.cn/collect', batch: { s: 'acme' } });
    const [view] = events('view');
    expect(view).toMatchObject({ t: 'view', u: '/sku/sofa-101', r: 'https://www.baidu.com/link' });
    expect(view.q).toEqual({ ch: 'baidu_sem', pr: 'zhang3', utm_source: 'baidu', utm_term: 'sofa', bd_vid: 'B1' });
    expect(JSON.stringify(net.sent)).not.toContain('13800138000');
    expect(JSON.stringify(net.sent)).not.toContain('"Li"');
    expect(checkEvent(view)).toMatchObject({ ok: true });
  });

  it('maps configured channel and promoter parameters to ch and pr, and keeps only the configured click ids', () => {
    history.replaceState(null, '', '/?src=weibo&by=p7&gdt_vid=G&bd_vid=B');
    make({ channelParam: 'src', promoterParam: 'by', clickIds: 'gdt_vid,gclid' }).view();
    make({ channelParam: 'src', clickIds: ['gdt_vid'] }).view();
    trackers.forEach((t) => t.flush());
    const [a, b] = events('view');
    expect(a.q).toEqual({ ch: 'weibo', pr: 'p7', gdt_vid: 'G' });
    expect(b.q).toEqual({ ch: 'weibo', gdt_vid: 'G' });
  });
});

describe('identity', () => {
  it('keeps the visitor id across trackers and rotates the session after 30 idle minutes', () => {
    make().view();
    vi.advanceTimersByTime(29 * 60_000);
    make().view(); // 29 min later: same session
    vi.advanceTimersByTime(31 * 60_000);
    make().view(); // 31 idle min later: new session
    trackers.forEach((t) => t.flush());
    const [a, b, c] = events('view');
    expect(new Set([a.v, b.v, c.v]).size).toBe(1);
    expect(b.ss).toBe(a.ss);
    expect(c.ss).not.toBe(a.ss);
    expect(new Set([a.i, b.i, c.i, a.pv, b.pv, c.pv]).size).toBe(6);
    expect(a.i).toMatch(/^[0-9]{3,30}$/); // three random 32-bit numbers, in decimal
  });
});

describe('batching', () => {
  it('sends at 10 events, after 2 s, and whenever the page is hidden or left', () => {
    const t = make();
    t.view();
    for (let i = 0; i < 8; i++) t.track('e' + i);
    expect(net.sent).toHaveLength(0);
    t.track('e8'); // the 10th event
    expect(net.sent).toHaveLength(1);
    expect(net.sent[0].batch.e).toHaveLength(10);
    t.track('late');
    vi.advanceTimersByTime(1999);
    expect(net.sent).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(net.sent).toHaveLength(2);
    t.track('before-hide');
    setHidden(true);
    expect(net.sent).toHaveLength(3);
    setHidden(false);
    t.track('before-pagehide');
    window.dispatchEvent(new Event('pagehide'));
    expect(events('track').map((e) => e.n)).toContain('before-pagehide');
  });

  it('falls back to fetch with keepalive when the beacon is refused or throws', () => {
    const t = make();
    net.beacon = false;
    t.view();
    t.flush();
    net.beacon = 'throw';
    t.track('x');
    t.flush();
    expect(net.sent.map((s) => [s.via, s.keepalive])).toEqual([['fetch', true], ['fetch', true]]);
  });
});

describe('engaged dwell', () => {
  it('counts visible, active time only, capped 30 s after the last input; one dwell per hide', () => {
    document.head.innerHTML = '<meta name="o2o:sku" content="SOFA-101">';
    const t = make();
    t.view(); // t=0, active
    vi.advanceTimersByTime(10_000);
    document.dispatchEvent(new Event('scroll')); // t=10 s: 10 s counted
    vi.advanceTimersByTime(50_000); // no input for 50 s: only 30 s count
    setHidden(true); // t=60 s → dwell 40 s
    vi.advanceTimersByTime(120_000); // hidden: nothing counts
    setHidden(false); // t=180 s: back
    vi.advanceTimersByTime(5_000);
    document.dispatchEvent(new KeyboardEvent('keydown'));
    vi.advanceTimersByTime(2_000);
    window.dispatchEvent(new Event('pagehide')); // t=187 s → dwell 7 s
    setHidden(true); // nothing more accrued: no third dwell
    const dwells = events('dwell');
    expect(dwells.map((e) => e.d)).toEqual([40_000, 7_000]);
    const [view] = events('view');
    for (const d of dwells) expect(d).toMatchObject({ pv: view.pv, k: 'SOFA-101', u: '/' });
    expect(checkEvent(dwells[0])).toMatchObject({ ok: true });
  });

  it('takes pointer (mouse, pen, touch), key and scroll input as activity', () => {
    const t = make();
    t.view();
    for (const input of [new PointerEvent('pointermove'), new PointerEvent('pointerdown'), new KeyboardEvent('keydown'), new Event('scroll')]) {
      vi.advanceTimersByTime(40_000); // idle: 30 s of it count
      document.dispatchEvent(input); // the clock runs again
      vi.advanceTimersByTime(10_000);
      setHidden(true); // 30 s + 10 s; without the input it would be 30 s
      setHidden(false);
    }
    expect(events('dwell').map((e) => e.d)).toEqual([40_000, 40_000, 40_000, 40_000]);
  });
});

describe('single-page navigation', () => {
  it('makes each route its own view with its own dwell, after the app rendered its SKU', () => {
    document.body.innerHTML = '<main data-o2o-sku="SOFA-101"></main>';
    const t = make();
    t.view();
    vi.advanceTimersByTime(3_000);
    history.pushState(null, '', '/sku/table-205?phone=138');
    document.body.innerHTML = '<main data-o2o-sku="TABLE-205"></main>'; // the app renders after pushState
    vi.advanceTimersByTime(4_000);
    history.replaceState(null, '', '/sku/table-205?sort=price'); // same route: no view
    history.pushState(null, '', '/#specs'); // an in-page anchor is not a route… but the path changed
    document.body.innerHTML = ''; // the app renders the new route
    vi.advanceTimersByTime(1_000);
    window.location.hash = '#/sku/bed-330?x=1#phone=13800138000'; // a hash route, with its own query and fragment
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    vi.advanceTimersByTime(1_000);
    setHidden(true);
    const views = events('view');
    expect(views.map((v) => [v.u, v.k])).toEqual([
      ['/', 'SOFA-101'],
      ['/sku/table-205', 'TABLE-205'],
      ['/', undefined],
      ['/#/sku/bed-330', undefined],
    ]);
    expect(views[1].r).toBe('http://localhost:3000/');
    expect(new Set(views.map((v) => v.pv)).size).toBe(4);
    const dwells = events('dwell');
    expect(dwells.map((d) => [d.pv, d.d, d.k])).toEqual([
      [views[0].pv, 3_000, 'SOFA-101'],
      [views[1].pv, 4_000, 'TABLE-205'],
      [views[2].pv, 1_000, undefined],
      [views[3].pv, 1_000, undefined],
    ]);
    expect(JSON.stringify(net.sent)).not.toContain('phone');
  });

  it("sends the old view's dwell once, at the route change, with its SKU, however long the app takes to render", () => {
    document.head.innerHTML = '<meta name="o2o:sku" content="SKU-A">';
    const t = make();
    t.view();
    vi.advanceTimersByTime(2_000);
    history.pushState(null, '', '/next'); // takes the first view's 2 s, while the page still shows SKU-A
    document.head.innerHTML = '<meta name="o2o:sku" content="SKU-B">';
    vi.setSystemTime(Date.now() + 16); // the app renders the new route for 16 ms before the view's tick runs
    vi.advanceTimersByTime(0);
    vi.advanceTimersByTime(1_000);
    setHidden(true);
    const views = events('view');
    expect(views.map((v) => v.k)).toEqual(['SKU-A', 'SKU-B']);
    // The render's 16 ms are the new view's.
    expect(events('dwell').map((d) => [d.pv, d.d, d.k])).toEqual([
      [views[0].pv, 2_000, 'SKU-A'],
      [views[1].pv, 1_016, 'SKU-B'],
    ]);
  });

  it('follows popstate, and o2o("sku") sets the SKU of the current route only', () => {
    const t = make();
    t.view();
    t.sku('BED-330');
    t.track('seen');
    history.pushState(null, '', '/b');
    vi.advanceTimersByTime(0);
    history.pushState(null, '', '/a');
    window.dispatchEvent(new PopStateEvent('popstate'));
    vi.advanceTimersByTime(0);
    t.flush();
    expect(events('track')[0].k).toBe('BED-330');
    expect(events('view').map((v) => [v.u, v.k])).toEqual([['/', undefined], ['/b', undefined], ['/a', undefined]]);
  });
});

describe('SKU pages', () => {
  it('sends a SKU from the page or o2o("sku") as given, which the worker cuts, and an appointment of its own SKU', async () => {
    const long = 'SKU-' + 'x'.repeat(100);
    document.head.innerHTML = `<meta name="o2o:sku" content="${long}">`;
    const t = make();
    t.view();
    t.sku(long + '-given');
    t.track('given');
    await t.appointment({ store: 's', sku: long + '-booked' });
    t.flush();
    const [view, appointment, track] = [events('view')[0], events('appointment')[0], events('track')[0]];
    expect([view.k, track.k, appointment.k]).toEqual([long, long + '-given', long + '-given']); // the wire: as given
    const k = (e: WireEvent) => {
      const c = checkEvent(e);
      return c.ok ? c.event.k : c.code;
    };
    // The worker cuts them to LIMITS.skuLength, and takes an appointment's own `sku` prop before the page's.
    expect([view, track, appointment].map(k)).toEqual([long.slice(0, 64), (long + '-given').slice(0, 64), (long + '-booked').slice(0, 64)]);
  });
});

describe('consult clicks', () => {
  it('records marked elements, tel: links and configured selectors, with kind, label and SKU', () => {
    document.head.innerHTML = '<meta name="o2o:sku" content="SOFA-101">';
    document.body.innerHTML = `
      <button data-o2o-consult="wechat"><i></i> 加微信 看实拍 </button>
      <a href="tel:4008001234">400-800-1234</a>
      <div id="udesk-btn"><span>客服</span></div>
      <button id="plain">not a consult</button>`;
    const t = make({ consult: '#udesk-btn' });
    t.view();
    for (const sel of ['[data-o2o-consult] i', 'a', '#udesk-btn span', '#plain']) (document.querySelector(sel) as HTMLElement).click();
    t.flush();
    const [view] = events('view');
    expect(events('consult')[0].l).toBe(' 加微信 看实拍 '); // the element's text as read: the worker trims it
    const stored = events('consult').map((e) => checkEvent(e)).map((c) => (c.ok ? c.event : c.code) as WireEvent);
    expect(stored.map((e) => [e.c, e.l, e.k, e.pv])).toEqual([
      ['wechat', '加微信 看实拍', 'SOFA-101', view.pv],
      ['phone', '400-800-1234', 'SOFA-101', view.pv],
      ['chat', '客服', 'SOFA-101', view.pv],
    ]);
  });

  it('cuts a consult container\'s long text in the browser too, so one click cannot push the batch past the body limit', () => {
    document.body.innerHTML = `<section data-o2o-consult="chat"><h2>咨询</h2><p>${'全屋定制 '.repeat(20_000)}</p></section>`;
    const t = make();
    t.view();
    for (let i = 0; i < 10; i++) (document.querySelector('p') as HTMLElement).click();
    t.flush();
    expect(events('consult')).toHaveLength(10);
    expect(Math.max(...events('consult').map((e) => e.l!.length))).toBeLessThanOrEqual(500);
    for (const s of net.sent) expect(new TextEncoder().encode(JSON.stringify(s.batch)).length).toBeLessThan(LIMITS.maxBodyBytes);
  });
});

describe('appointments', () => {
  it('o2o("appointment") posts at once with fetch, with what was queued, and resolves the lead code', async () => {
    net.answer = (b) => ({ status: 202, body: { accepted: b.e.length, duplicates: 0, rejected: [], leads: { [b.e[b.e.length - 1].i]: 'K7Q2' } } });
    const t = make();
    t.view();
    const code = await t.appointment({ store: 'sh-xuhui', budget: 12000, style: '北欧简约', sku: 'SOFA-101' });
    expect(code).toBe('K7Q2');
    expect(net.sent).toHaveLength(1);
    expect(net.sent[0]).toMatchObject({ via: 'fetch', keepalive: true });
    expect(net.sent[0].batch.e.map((e) => e.t)).toEqual(['view', 'appointment']);
    const [a] = events('appointment');
    expect(a).toMatchObject({ p: { store: 'sh-xuhui', budget: 12000, style: '北欧简约', sku: 'SOFA-101' } });
    expect(checkEvent(a)).toMatchObject({ ok: true, event: { k: 'SOFA-101' } }); // the worker takes the appointment's own SKU
  });

  it('resolves undefined when the worker gives no code, and queues the appointment when the network fails', async () => {
    const t = make();
    expect(await t.appointment({ store: 's1' })).toBeUndefined(); // 202 without leads
    net.answer = 'offline';
    expect(await t.appointment({ store: 's2' })).toBeUndefined();
    expect(JSON.parse(localStorage.getItem('o2o_q')!).e.map((e: { p: { store: string } }) => e.p.store)).toEqual(['s2']);
  });

  it('captures a marked form on submit without preventing or changing its submission, sending only funnel and opted-in fields', async () => {
    net.answer = (b) => ({ status: 202, body: { leads: { [b.e[b.e.length - 1].i]: 'M3X9' } } });
    document.body.innerHTML = `
      <form data-o2o-appointment="date" action="/thanks" method="get">
        <input type="hidden" name="sku" value="SOFA-101">
        <select name="store"><option value="bj-chaoyang" selected>北京</option></select>
        <input name="budget" value="12000"><input name="style" value="">
        <input name="date" value="2026-05-02"><input name="phone" value="13800138000"><input name="name" value="李雷">
        <textarea name="note">call me at 13800138000</textarea>
        <div class="lead">预约码：<b data-o2o-lead></b></div>
        <button>提交</button>
      </form>`;
    const form = document.querySelector('form')!;
    let pageSaw: SubmitEvent | undefined;
    form.addEventListener('submit', (e) => (pageSaw = e as SubmitEvent));
    const t = make();
    t.view();
    const ev = new Event('submit', { bubbles: true, cancelable: true });
    form.dispatchEvent(ev);
    expect(ev.defaultPrevented).toBe(false);
    expect(pageSaw).toBe(ev);
    await settle();
    const [a] = events('appointment');
    expect(a.p).toEqual({ sku: 'SOFA-101', store: 'bj-chaoyang', budget: '12000', date: '2026-05-02' }); // budget as typed: the worker converts it
    expect(checkEvent(a)).toMatchObject({ ok: true, event: { k: 'SOFA-101' } }); // the form's SKU, taken by the worker
    expect(JSON.stringify(net.sent)).not.toMatch(/13800138000|李雷/);
    expect(form.querySelector('[data-o2o-lead]')!.textContent).toBe('M3X9');
    expect(form.getAttribute('data-o2o-lead-code')).toBe('M3X9');
  });
});

describe('custom events', () => {
  it('sends props as the page gave them, and the worker trims them instead of refusing the event', () => {
    const props: Record<string, unknown> = { long: 'x'.repeat(300), nan: NaN, obj: { a: 1 }, list: [1, 2], ok: true, n: 5, ['k'.repeat(50)]: 'key' };
    for (let i = 0; i < 30; i++) props['k' + i] = i;
    const t = make();
    t.track('coupon', props as never);
    t.track('', { a: 1 }); // no name: not sent
    t.flush();
    const [e] = events('track');
    expect(events('track')).toHaveLength(1);
    expect(Object.keys(e.p!)).toHaveLength(37); // all of them: JSON turns NaN into null
    const checked = checkEvent(e);
    expect(checked.ok).toBe(true);
    const p = checked.ok ? checked.event.p! : {};
    // The first 20 keys, less the null one; nested values as their string form, keys and values cut.
    expect(p).toEqual({
      long: 'x'.repeat(256), obj: '[object Object]', list: '1,2', ok: true, n: 5, ['k'.repeat(40)]: 'key',
      ...Object.fromEntries(Array.from({ length: 13 }, (_, i) => ['k' + i, i])),
    });
  });

  it('sends a prop left undefined or null as no value, never as the text "undefined"', async () => {
    document.head.innerHTML = '<meta name="o2o:sku" content="SOFA-101">';
    const t = make();
    t.track('coupon', { value: 500, code: undefined, note: null } as never);
    await t.appointment({ store: 's', style: undefined, sku: undefined } as never); // e.g. { sku: currentSku } on a page without one
    t.flush();
    const [track] = events('track');
    const [appointment] = events('appointment');
    expect(JSON.stringify([track.p, appointment.p])).not.toMatch(/undefined|"null"/);
    expect(appointment.k).toBe('SOFA-101'); // the page's SKU, not "undefined"
    const checked = checkEvent(track);
    expect(checked.ok && checked.event.p).toEqual({ value: 500 }); // the worker takes null as no value
  });

  it('loses nothing queued to an appointment called without props: it leaves with them, as an appointment without details', async () => {
    const t = make();
    t.view();
    await expect(t.appointment(undefined as never)).resolves.toBeUndefined();
    t.flush();
    expect(net.sent.map((s) => s.batch.e.map((e) => e.t))).toEqual([['view', 'appointment']]);
    expect(checkEvent(events('appointment')[0])).toMatchObject({ ok: true });
  });

  it('refuses at the call props JSON cannot write (a BigInt, a cycle), and loses nothing queued', async () => {
    const t = make();
    t.view();
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    t.track('bigint', { n: 10n } as never); // the npm build's methods are guarded: no throw into the page
    t.track('cycle', cycle as never);
    await expect(t.appointment({ store: 'sh-1', n: 1n } as never)).resolves.toBeUndefined();
    t.track('fine', { n: 1 });
    t.flush();
    expect(events('view')).toHaveLength(1);
    expect(events('track').map((e) => e.n)).toEqual(['fine']);
    expect(events('appointment')).toHaveLength(0);
  });
});

describe('delivery without loss', () => {
  it('keeps what fails offline and replays it, same ids, on the next page load', async () => {
    net.online = false;
    net.answer = 'offline';
    const a = make();
    a.view();
    a.track('offline-1');
    a.flush();
    await settle();
    expect(net.sent).toHaveLength(0);
    const kept = JSON.parse(localStorage.getItem('o2o_q')!).e as { i: string }[];
    expect(kept).toHaveLength(2);
    a.stop();
    net.online = true;
    net.answer = { status: 202, body: { accepted: 2, duplicates: 0, rejected: [] } };
    make(); // the next page load
    await settle();
    expect(net.sent).toHaveLength(1);
    expect(net.sent[0].via).toBe('fetch');
    expect(net.sent[0].batch.e.map((e) => e.i)).toEqual(kept.map((e) => e.i)); // same ids: the worker drops a repeat
    expect(JSON.parse(localStorage.getItem('o2o_q')!)).toBe(0); // delivered: nothing kept, no backoff pending
  });

  it('offline, keeps the batch at once, not after a fetch that would fail once the page is gone', async () => {
    net.online = false;
    net.answer = 'hang'; // a fetch made now would never come back: the page closes
    const t = make();
    t.view();
    t.track('last-words');
    window.dispatchEvent(new Event('pagehide'));
    await settle(); // microtasks only: they run before a closing page goes
    expect(JSON.parse(localStorage.getItem('o2o_q')!).e.map((e: WireEvent) => e.t)).toEqual(['view', 'track']);
    // An appointment form's submission leaves the page: offline, its event is kept the same way.
    await expect(t.appointment({ store: 's' })).resolves.toBeUndefined();
    expect(JSON.parse(localStorage.getItem('o2o_q')!).e.map((e: WireEvent) => e.t)).toEqual(['view', 'track', 'appointment']);
    expect(net.sent).toHaveLength(0);
  });

  it('keeps a replay queued until it is answered, so a page closed during it loses nothing', async () => {
    net.online = false;
    const t = make();
    t.track('x');
    t.flush();
    await settle();
    const kept = JSON.parse(localStorage.getItem('o2o_q')!).e as WireEvent[];
    net.online = true;
    net.answer = 'hang';
    make(); // the next page replays, and is closed before the answer
    await settle();
    expect(JSON.parse(localStorage.getItem('o2o_q')!).e.map((e: WireEvent) => e.i)).toEqual(kept.map((e) => e.i));
    net.answer = { status: 202, body: {} };
    make(); // the page after replays again (same ids: the worker keeps each once)
    await settle();
    expect(net.sent.at(-1)!.batch.e.map((e) => e.i)).toEqual(kept.map((e) => e.i));
    expect(JSON.parse(localStorage.getItem('o2o_q')!)).toBe(0);
  });

  it('takes a replay refused for good (a 4xx) out of the queue', async () => {
    net.online = false;
    make().track('x');
    trackers[0].flush();
    await settle();
    net.online = true;
    net.answer = { status: 400, body: { error: { code: 'invalid_batch', message: '' } } };
    make();
    await settle();
    expect(net.sent).toHaveLength(1);
    expect(JSON.parse(localStorage.getItem('o2o_q')!)).toBe(0);
  });

  it('backs off between failed replays: 5 s, then 10 s', async () => {
    net.answer = 'offline';
    net.online = false;
    const t = make();
    t.track('x');
    t.flush();
    await settle();
    const load = async () => {
      make();
      await settle();
    };
    await load(); // replay 1 fails → next not before 5 s
    await load();
    expect(JSON.parse(localStorage.getItem('o2o_q')!)).toMatchObject({ n: 1, t: T0 + 5_000 });
    vi.advanceTimersByTime(5_000);
    await load(); // replay 2 fails → 10 s
    expect(JSON.parse(localStorage.getItem('o2o_q')!)).toMatchObject({ n: 2, t: T0 + 15_000 });
    expect(JSON.parse(localStorage.getItem('o2o_q')!).e.map((e: { n: string }) => e.n)).toEqual(['x']);
  });

  it('keeps at most 49 events, drops the oldest and reports how many with the replay', async () => {
    net.answer = 'offline';
    net.online = false;
    const t = make();
    for (let i = 0; i < 60; i++) t.track('e' + i);
    t.flush();
    await settle();
    const q = JSON.parse(localStorage.getItem('o2o_q')!);
    expect(q.e).toHaveLength(49);
    expect(q.x).toBe(11);
    expect(q.e[0].n).toBe('e11');
    net.online = true;
    net.answer = { status: 202, body: {} };
    make();
    await settle();
    // One batch: the 49 kept, as they were, and the count.
    const sent = net.sent[0].batch.e;
    expect(sent.slice(0, 49).map((e) => e.i)).toEqual(q.e.map((e: WireEvent) => e.i));
    expect(sent.slice(49)).toMatchObject([{ t: 'track', n: 'o2o_dropped', p: { n: 11 } }]);
    expect(JSON.parse(localStorage.getItem('o2o_q')!)).toBe(0); // answered: the queue and its count are gone
  });

  it('retries a 5xx and a 429 (rate limited), not another 4xx', async () => {
    const t = make();
    net.beacon = false;
    net.answer = { status: 503, body: {} };
    t.track('five');
    t.flush();
    await settle();
    net.answer = { status: 429, body: { error: { code: 'rate_limited', message: '' } } };
    t.track('limited');
    t.flush();
    await settle();
    net.answer = { status: 400, body: { error: { code: 'invalid_batch', message: '' } } };
    t.track('four');
    t.flush();
    await settle();
    expect(JSON.parse(localStorage.getItem('o2o_q')!).e.map((e: { n: string }) => e.n)).toEqual(['five', 'limited']);
  });
});

describe('privacy', () => {
  it('o2o("optout") persists: nothing is sent by this or later trackers', () => {
    const t = make();
    t.optout();
    t.view();
    t.flush();
    const u = make();
    u.view();
    u.track('x');
    u.flush();
    expect(net.sent).toHaveLength(0);
    expect(localStorage.getItem('o2o_off')).toBe('1');
  });

  it('after an opt-out, an appointment makes nothing: no event, no visitor id', async () => {
    const t = make();
    t.optout();
    localStorage.removeItem('o2o_id');
    await expect(t.appointment({ store: 's', budget: 9000 })).resolves.toBeUndefined();
    document.body.innerHTML = '<form data-o2o-appointment><input name="store" value="s"></form>';
    document.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await settle();
    expect(net.sent).toHaveLength(0);
    expect(localStorage.getItem('o2o_id')).toBeNull();
  });

  it('honours Global Privacy Control and Do Not Track only when asked to', () => {
    Object.defineProperty(navigator, 'globalPrivacyControl', { configurable: true, value: true });
    make({ respectDnt: true }).view();
    make().view();
    trackers.forEach((t) => t.flush());
    Object.defineProperty(navigator, 'globalPrivacyControl', { configurable: true, value: undefined });
    Object.defineProperty(navigator, 'doNotTrack', { configurable: true, value: '1' });
    make({ respectDnt: true }).view();
    trackers[2].flush();
    expect(net.sent).toHaveLength(1);
    Object.defineProperty(navigator, 'doNotTrack', { configurable: true, value: null });
  });
});

describe('never throws into the page', () => {
  it('survives a broken network, broken storage and odd input', async () => {
    vi.stubGlobal('fetch', () => {
      throw new Error('no fetch');
    });
    net.beacon = 'throw';
    // Storage denied (cookies blocked, a sandboxed iframe): reading window.localStorage itself throws.
    const denied = vi.spyOn(window, 'localStorage', 'get').mockImplementation(() => {
      throw new DOMException('access denied', 'SecurityError');
    });
    try {
      const t = make();
      expect(() => {
        t.view();
        t.track('x', null as never);
        t.sku(undefined as never);
        t.flush();
        document.dispatchEvent(new MouseEvent('click', { bubbles: true }));
        document.dispatchEvent(new Event('submit'));
        history.pushState(null, '', '/next');
        vi.advanceTimersByTime(3000);
      }).not.toThrow();
      await expect(t.appointment({ store: 's' })).resolves.toBeUndefined();
    } finally {
      denied.mockRestore();
    }
  });

  it('keeps one visitor and session for the page when storage is denied', () => {
    const denied = vi.spyOn(window, 'localStorage', 'get').mockImplementation(() => {
      throw new DOMException('access denied', 'SecurityError');
    });
    try {
      const t = make();
      t.view();
      t.track('x');
      t.flush();
    } finally {
      denied.mockRestore();
    }
    const [view, track] = events();
    expect([track.v, track.ss]).toEqual([view.v, view.ss]);
    expect(checkEvent(track)).toMatchObject({ ok: true });
    expect(localStorage.getItem('o2o_id')).toBeNull(); // it lived in memory only
  });

  it('stop() sends what is pending, then leaves the page alone', () => {
    const t = make();
    t.view();
    t.stop();
    expect(events('view')).toHaveLength(1);
    t.track('after');
    document.body.innerHTML = '<button data-o2o-consult="chat">c</button>';
    document.querySelector('button')!.click();
    setHidden(true);
    expect(net.sent, JSON.stringify(net.sent)).toHaveLength(1);
  });
});
