// The tracker under happy-dom, with only the network replaced.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Batch } from '../../sdk/protocol';
import { createTracker } from '../../sdk/tracker';
import { checkEvent } from '../../worker/validate/event';

let sent: { url: string; batch: Batch }[];
const transport = (url: string, body: string) => (sent.push({ url, batch: JSON.parse(body) }), true);

beforeEach(() => {
  sent = [];
  localStorage.clear();
  history.replaceState(null, '', '/');
});

describe('createTracker', () => {
  it('fails fast on missing options, naming the function', () => {
    expect(() => createTracker({ site: '', endpoint: 'https://x' })).toThrow(/createTracker.*site/);
    expect(() => createTracker({ site: 's', endpoint: '' })).toThrow(/createTracker.*endpoint/);
  });

  it('sends a view with the channel code and nothing else from the query', () => {
    history.replaceState(null, '', '/sku/sofa-101?ch=baidu_sem&phone=13800138000&utm_source=baidu');
    createTracker({ site: 'acme', endpoint: 'https://stats.acme.cn', transport }).view();
    expect(sent).toHaveLength(1);
    expect(sent[0].url).toBe('https://stats.acme.cn/collect');
    const [e] = sent[0].batch.e;
    expect(sent[0].batch.s).toBe('acme');
    expect(e).toMatchObject({ t: 'view', u: '/sku/sofa-101', q: { ch: 'baidu_sem', utm_source: 'baidu' } });
    expect(JSON.stringify(sent[0].batch)).not.toContain('13800138000');
  });

  it('maps a custom channel parameter to ch on the wire', () => {
    history.replaceState(null, '', '/?src=weibo');
    createTracker({ site: 'acme', endpoint: 'https://x', channelParam: 'src', transport }).view();
    expect(sent[0].batch.e[0].q).toEqual({ ch: 'weibo' });
  });

  it('keeps the visitor id across trackers and makes events the worker accepts', () => {
    createTracker({ site: 'acme', endpoint: 'https://x', transport }).view();
    createTracker({ site: 'acme', endpoint: 'https://x', transport }).view();
    const [a, b] = sent.map((s) => s.batch.e[0]);
    expect(a.v).toBe(b.v);
    expect(a.i).not.toBe(b.i);
    expect(checkEvent(a)).toMatchObject({ ok: true });
  });

  it('never throws into the page when the transport does', () => {
    const t = createTracker({ site: 'acme', endpoint: 'https://x', transport: () => { throw new Error('offline'); } });
    expect(() => t.view()).not.toThrow();
  });
});
