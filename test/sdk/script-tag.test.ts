// The script-tag build (dist/o2o.js) run in the happy-dom window the way a page
// runs it: the install guide's one-line stub first, then the bundle with its data-
// attributes. One instance per page, as on a storefront; other instances get
// their own site key and are told apart by it.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { checkEvent } from '../../worker/validate/event';
import { LIMITS } from '../../protocol/wire';
import { installNet, net, settle, setHidden } from './net';

/** The stub exactly as the install guide tells a brand to paste it (and the README and the Chinese guide repeat). */
const stubIn = (file: string) => readFileSync(file, 'utf8').match(/<script>(window\.o2o=.*?)<\/script>/)![1];
const STUB = stubIn('docs/install.md');
const BUNDLE = readFileSync('dist/o2o.js', 'utf8');
type O2o = (command: string, ...args: unknown[]) => unknown;
const o2o = (...a: Parameters<O2o>) => (window as unknown as { o2o: O2o }).o2o(...a);

function loadScript(attrs: Record<string, string>) {
  const el = document.createElement('script');
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  Object.defineProperty(document, 'currentScript', { configurable: true, value: el });
  // The built script tag runs as a browser runs it: global code from a string.
  // eslint-disable-next-line no-eval
  (0, eval)(BUNDLE);
  Object.defineProperty(document, 'currentScript', { configurable: true, value: null });
}
const of = (site: string, t?: string) => net.sent.filter((s) => s.batch.s === site).flatMap((s) => s.batch.e).filter((e) => !t || e.t === t);

beforeAll(() => {
  vi.useFakeTimers();
  installNet();
  localStorage.clear();
  history.replaceState(null, '', '/sku/sofa-101?src=wechat_moments&phone=13800138000&gdt_vid=G1&bd_vid=B1');
  document.head.innerHTML = '<meta name="o2o:sku" content="SOFA-101">';
  document.body.innerHTML = `
    <button id="kf"><span>在线客服</span></button>
    <a href="tel:4008001234">400-800-1234</a>
    <form data-o2o-appointment action="/thanks"><input name="store" value="sh-xuhui"><input name="phone" value="13800138000">
      <div class="lead" data-o2o-lead></div><button>预约</button></form>`;
  // The page keeps tel: clicks from navigating happy-dom away (our listener still sees them).
  document.querySelector('a')!.addEventListener('click', (e) => e.preventDefault());
  // eslint-disable-next-line no-eval
  (0, eval)(STUB);
  o2o('track', 'before-load', { from: 'stub' }); // queued by the stub
  loadScript({
    src: 'https://shop.example.cn/o2o.js',
    'data-site': 'demo',
    'data-endpoint': 'https://stats.example.cn',
    'data-channel-param': 'src',
    'data-click-ids': 'gdt_vid',
    'data-consult': '#kf',
  });
});

describe('dist/o2o.js', () => {
  it('is pasted the same way wherever the docs show the stub', () => {
    expect(stubIn('README.md')).toBe(STUB);
    expect(stubIn('docs/zh-CN/install.md')).toBe(STUB);
  });

  it('replays the stub, then records the view with the data- configuration', () => {
    vi.advanceTimersByTime(2000);
    expect(net.sent[0]).toMatchObject({ via: 'beacon', url: 'https://stats.example.cn/collect', batch: { s: 'demo' } });
    const [track, view] = of('demo');
    expect(track).toMatchObject({ t: 'track', n: 'before-load', p: { from: 'stub' }, k: 'SOFA-101' });
    expect(view).toMatchObject({ t: 'view', u: '/sku/sofa-101', k: 'SOFA-101', q: { ch: 'wechat_moments', gdt_vid: 'G1' } });
    expect(JSON.stringify(net.sent)).not.toContain('13800138000');
    expect(checkEvent(view)).toMatchObject({ ok: true });
  });

  it('exposes o2o() for custom events and never throws into the page', () => {
    expect(() => o2o('sku', 'SOFA-101B')).not.toThrow();
    expect(() => o2o('track', 'coupon', { value: 500 })).not.toThrow();
    expect(() => o2o('no-such-command' as never)).not.toThrow();
    vi.advanceTimersByTime(2000);
    expect(of('demo', 'track').map((e) => [e.n, e.k])).toContainEqual(['coupon', 'SOFA-101B']);
  });

  it('sends custom props as given, which the worker trims to its limits', () => {
    const props: Record<string, unknown> = { long: 'x'.repeat(300), nan: NaN, obj: { a: 1 }, ok: true, n: 5 };
    for (let i = 0; i < 30; i++) props['k' + i] = i;
    o2o('track', 'bounded', props);
    vi.advanceTimersByTime(2000);
    const [e] = of('demo', 'track').filter((e) => e.n === 'bounded');
    expect(Object.keys(e.p!)).toHaveLength(35);
    const checked = checkEvent(e);
    expect(checked.ok).toBe(true);
    const p = checked.ok ? checked.event.p! : {};
    expect(Object.keys(p)).toHaveLength(19); // the first 20, less NaN (null on the wire: no value)
    expect(p).toMatchObject({ long: 'x'.repeat(256), obj: '[object Object]', ok: true, n: 5, k14: 14 });
    expect(p).not.toHaveProperty('k15');
  });

  it('sends a SKU and an event name as the page gave them, which the worker cuts', () => {
    const [sku, name] = ['S'.repeat(100), 'n'.repeat(100)];
    o2o('sku', sku);
    o2o('track', name);
    o2o('sku', 'SOFA-101B');
    vi.advanceTimersByTime(2000);
    const [e] = of('demo', 'track').filter((e) => e.n === name);
    expect(e.k).toBe(sku);
    expect(checkEvent(e)).toMatchObject({ ok: true, event: { n: name.slice(0, LIMITS.nameLength), k: sku.slice(0, LIMITS.skuLength) } });
  });

  it('records consult clicks, built-in and configured', () => {
    (document.querySelector('#kf span') as HTMLElement).click();
    (document.querySelector('a[href^="tel:"]') as HTMLElement).click();
    vi.advanceTimersByTime(2000);
    expect(of('demo', 'consult').map((e) => [e.c, e.l])).toEqual([
      ['chat', '在线客服'],
      ['phone', '400-800-1234'],
    ]);
  });

  it('follows SPA routes and sends dwell on hide', () => {
    vi.advanceTimersByTime(1000);
    history.pushState(null, '', '/sku/table-205');
    vi.advanceTimersByTime(0);
    setHidden(true);
    setHidden(false);
    const views = of('demo', 'view');
    expect(views.map((v) => v.u)).toEqual(['/sku/sofa-101', '/sku/table-205']);
    expect(of('demo', 'dwell').map((d) => d.pv)).toEqual([views[0].pv]);
  });

  it('captures the appointment form and shows the lead code, leaving the submission alone', async () => {
    net.answer = (b) => ({ status: 202, body: { leads: Object.fromEntries(b.e.filter((e) => e.t === 'appointment').map((e) => [e.i, 'Q8P3'])) } });
    const form = document.querySelector('form')!;
    let pageSaw = false;
    form.addEventListener('submit', () => (pageSaw = true)); // the page's own handler still runs
    const submit = new Event('submit', { bubbles: true, cancelable: true });
    form.dispatchEvent(submit);
    expect(pageSaw).toBe(true);
    expect(submit.defaultPrevented).toBe(false);
    await settle();
    const [a] = of('demo', 'appointment');
    expect(a.p).toEqual({ store: 'sh-xuhui' });
    expect(form.querySelector('[data-o2o-lead]')!.textContent).toBe('Q8P3');
    await expect(o2o('appointment', { store: 'bj-chaoyang', budget: 9000 }) as Promise<string>).resolves.toBe('Q8P3');
  });

  it('defaults the endpoint to the origin it was loaded from, and warns without data-site', () => {
    loadScript({ src: 'https://cdn.brand.cn/js/o2o.js', 'data-site': 'second' });
    vi.advanceTimersByTime(2000);
    expect(net.sent.find((s) => s.batch.s === 'second')!.url).toBe('https://cdn.brand.cn/collect');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(() => loadScript({ src: 'https://cdn.brand.cn/o2o.js' })).not.toThrow();
    expect(warn).toHaveBeenCalled();
  });

  it('honours data-respect-dnt under Global Privacy Control, and only when asked', () => {
    Object.defineProperty(navigator, 'globalPrivacyControl', { configurable: true, value: true });
    try {
      loadScript({ src: 'https://shop.example.cn/o2o.js', 'data-site': 'dnt', 'data-respect-dnt': '' });
      loadScript({ src: 'https://shop.example.cn/o2o.js', 'data-site': 'no-dnt' });
      vi.advanceTimersByTime(2000);
      expect(of('dnt')).toEqual([]);
      expect(of('no-dnt', 'view')).toHaveLength(1);
    } finally {
      Object.defineProperty(navigator, 'globalPrivacyControl', { configurable: true, value: undefined });
    }
  });

  it('maps data-promoter-param to pr, and sends no q when the URL has none of the allowed parameters', () => {
    history.replaceState(null, '', '/sku/sofa-101?by=zhang3&phone=13800138000');
    loadScript({ src: 'https://shop.example.cn/o2o.js', 'data-site': 'promo', 'data-promoter-param': 'by' });
    history.replaceState(null, '', '/sku/sofa-101?phone=13800138000');
    loadScript({ src: 'https://shop.example.cn/o2o.js', 'data-site': 'plain' });
    vi.advanceTimersByTime(2000);
    expect(of('promo', 'view')[0].q).toEqual({ pr: 'zhang3' });
    const [plain] = of('plain', 'view');
    expect(plain).not.toHaveProperty('q');
    expect(checkEvent(plain)).toMatchObject({ ok: true });
  });

  it('offline, keeps the batch at once (no beacon to lose it), and replays it on the next load with backoff', async () => {
    net.sent = [];
    net.online = false;
    net.answer = 'offline';
    localStorage.removeItem('o2o_q');
    loadScript({ src: 'https://shop.example.cn/o2o.js', 'data-site': 'away' });
    vi.advanceTimersByTime(2000); // the batch is due: offline, it goes to the retry queue, not into a beacon "queued" and lost
    await settle();
    expect(net.sent).toEqual([]);
    const kept = JSON.parse(localStorage.getItem('o2o_q')!).e;
    expect(kept.map((e: { t: string }) => e.t)).toEqual(['view']);
    net.online = true; // back, but the worker still fails: the replay is kept with a backoff
    loadScript({ src: 'https://shop.example.cn/o2o.js', 'data-site': 'away' });
    await settle();
    const q = JSON.parse(localStorage.getItem('o2o_q')!);
    expect(q).toMatchObject({ n: 1, t: Date.now() + 5000 });
    expect(q.e[0].i).toBe(kept[0].i);
    net.answer = { status: 202, body: {} };
    vi.advanceTimersByTime(5000);
    loadScript({ src: 'https://shop.example.cn/o2o.js', 'data-site': 'away' }); // the next load after the wait
    await settle();
    expect(net.sent.find((s) => s.via === 'fetch')!.batch.e.map((e) => e.i)).toContain(kept[0].i);
    expect(JSON.parse(localStorage.getItem('o2o_q')!)).toBe(0);
  });

  it('reports how many events its full retry queue dropped, with the replay', async () => {
    net.sent = [];
    const old = { i: 'kept-1', t: 'track', ts: Date.now() - 60_000, v: 'visitor-1', ss: 'session-1', n: 'old' };
    localStorage.setItem('o2o_q', JSON.stringify({ e: [old], x: 7, n: 2, t: 0 })); // as a full queue left it
    loadScript({ src: 'https://shop.example.cn/o2o.js', 'data-site': 'full' });
    await settle();
    vi.advanceTimersByTime(2000);
    const replayed = net.sent.find((s) => s.via === 'fetch' && s.batch.s === 'full')!;
    expect(replayed.batch.e).toMatchObject([{ i: 'kept-1' }, { t: 'track', n: 'o2o_dropped', p: { n: 7 } }]);
    const dropped = of('full', 'track').filter((e) => e.n === 'o2o_dropped');
    expect(dropped).toHaveLength(1);
    expect(checkEvent(dropped[0])).toMatchObject({ ok: true });
    expect(JSON.parse(localStorage.getItem('o2o_q')!)).toBe(0);
  });
});
