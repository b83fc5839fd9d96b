// The chat's loader in the script tag (dist/o2o.js, run as a page runs it): chat.js
// is injected only on the first chat click or o2o('chat'), once, and handed the
// tracker's site, visitor id and SKU; a later call reopens the panel through it.
// Consult clicks are still recorded as before.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { ChatScript } from '../../sdk/chat-loader';
import { installNet, net } from './net';

const BUNDLE = readFileSync('dist/o2o.js', 'utf8');
const o2o = (...a: unknown[]) => (window as unknown as { o2o: (...a: unknown[]) => unknown }).o2o(...a);
const chatScripts = () => [...document.querySelectorAll('script')].filter((s) => /chat\.js$/.test(s.src)) as ChatScript[];
const consults = () => net.sent.flatMap((s) => s.batch.e).filter((e) => e.t === 'consult');

beforeAll(() => {
  vi.useFakeTimers();
  installNet();
  localStorage.clear();
  history.replaceState(null, '', '/sku/sofa-101?ch=wechat');
  document.head.innerHTML = '<meta name="o2o:sku" content="SOFA-101">';
  document.body.innerHTML = `
    <button id="chat" data-o2o-consult="chat"><span>在线咨询</span></button>
    <button id="wx" data-o2o-consult="wechat">加微信</button>
    <button id="vendor">第三方客服</button>`;
  const el = document.createElement('script');
  el.setAttribute('src', 'https://shop.example.cn/js/o2o.js');
  el.setAttribute('data-site', 'demo');
  el.setAttribute('data-endpoint', 'https://stats.example.cn');
  el.setAttribute('data-consult', '#vendor');
  Object.defineProperty(document, 'currentScript', { configurable: true, value: el });
  (0, eval)(BUNDLE); // eslint-disable-line no-eval
  Object.defineProperty(document, 'currentScript', { configurable: true, value: null });
});

describe('the chat loader in the script tag', () => {
  it('loads nothing until the chat is opened: not for the page, other consults or a third-party chat button', () => {
    (document.querySelector('#wx') as HTMLElement).click();
    (document.querySelector('#vendor') as HTMLElement).click();
    vi.advanceTimersByTime(2000);
    expect(chatScripts()).toEqual([]);
    expect(consults().map((e) => e.c)).toEqual(['wechat', 'chat']); // the vendor's button is a consult of kind chat, as before
  });

  it('injects chat.js from the endpoint once, on the first chat click, and still records the consult', () => {
    (document.querySelector('#chat span') as HTMLElement).click();
    (document.querySelector('#chat') as HTMLElement).click(); // before chat.js ran: nothing more is injected
    const [s, more] = chatScripts();
    expect(more).toBeUndefined();
    expect(s.src).toBe('https://stats.example.cn/chat.js');
    vi.advanceTimersByTime(2000);
    expect(consults().slice(2).map((e) => [e.c, e.l])).toEqual([['chat', '在线咨询'], ['chat', '在线咨询']]);
  });

  it("hands chat.js the site and the tracker's event maker: the visitor's id, the SKU and the path", () => {
    const [s] = chatScripts();
    expect(s.c.site).toBe('demo');
    const e = s.e('consult', {});
    expect(e.v).toBe(JSON.parse(localStorage.o2o_id)[0]);
    expect(e).toMatchObject({ k: 'SOFA-101', u: '/sku/sofa-101' });
    o2o('sku', 'SOFA-101B'); // a SKU the page gave is the one handed over
    expect(s.e('consult', {}).k).toBe('SOFA-101B');
  });

  it("once chat.js runs, a click or o2o('chat') reopens its panel, injecting nothing", () => {
    const [s] = chatScripts();
    const open = vi.fn();
    s.o = open;
    o2o('chat');
    (document.querySelector('#chat') as HTMLElement).click();
    expect(open).toHaveBeenCalledTimes(2);
    expect(chatScripts()).toHaveLength(1);
  });

  it('adds no global but o2o', () => {
    const before = new Set(Object.keys(window));
    const el = document.createElement('script');
    el.setAttribute('src', 'https://shop.example.cn/o2o.js');
    el.setAttribute('data-site', 'globals');
    Object.defineProperty(document, 'currentScript', { configurable: true, value: el });
    (0, eval)(BUNDLE); // eslint-disable-line no-eval
    expect(Object.keys(window).filter((k) => !before.has(k))).toEqual([]);
  });
});

describe('the npm build', () => {
  it('has chat() too', async () => {
    const { createTracker } = await import('o2o-tracker');
    const t = createTracker({ site: 'npm', endpoint: 'https://npm.example.cn/' });
    expect(typeof t.chat).toBe('function');
    t.chat();
    expect(chatScripts().map((s) => s.src)).toContain('https://npm.example.cn/chat.js');
    t.stop();
  });
});
