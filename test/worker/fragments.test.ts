// What a URL keeps on its way in: a page path keeps no query and no fragment
// beyond a hash route (`#/…`), a referrer neither, whoever sends them (the
// script tag already cuts them; a server-side sender need not). The validators
// are called directly: they decide what is stored, whatever the ingest path does after.
import { describe, expect, it } from 'vitest';
import { checkConversationEvent } from '../../worker/conversations/event';
import { checkEvent, pagePath } from '../../worker/validate/event';

const view = (over: Record<string, unknown>) => ({ i: 'e1', t: 'view', ts: Date.now(), v: 'v1', ss: 's1', ...over });

function checked(over: Record<string, unknown>) {
  const r = checkEvent(view(over));
  if (!r.ok) throw new Error(`rejected: ${r.code} ${r.message}`);
  return r.event;
}

describe('the page path (u)', () => {
  it.each([
    ['/landing#phone=13800138003', '/landing'],
    ['/landing?phone=13800138003', '/landing'],
    ['/landing?x=1#phone=13800138003', '/landing'],
    ['/p#section-2', '/p'], // an in-page anchor is not a route
    ['/#/sku/1', '/#/sku/1'], // a hash router's route is the page
    ['/#!/sku/1', '/#!/sku/1'],
    ['/#/sku/1?phone=13800138003', '/#/sku/1'], // the route's own query goes, as in the SDK
    ['/shop?utm_source=x#/sku/1', '/shop#/sku/1'],
    ['/#/sku/1#phone=13800138003', '/#/sku/1'], // a fragment inside the route goes too
    ['/plain/path', '/plain/path'],
  ])('%s is stored as %s', (u, want) => {
    expect(checked({ u }).u).toBe(want);
    expect(pagePath(u)).toBe(want);
  });

  it('a path that is only a fragment or a query is no path', () => {
    expect(checked({ u: '#phone=13800138003' }).u).toBeUndefined();
    expect(checked({ u: '?phone=13800138003' }).u).toBeUndefined();
  });

  it('cuts to the path limit after the fragment is gone', () => {
    const u = `/${'a'.repeat(600)}#phone=13800138003`;
    expect(checked({ u }).u).toBe(`/${'a'.repeat(511)}`);
  });
});

describe('the referrer (r)', () => {
  it.each([
    ['https://www.baidu.com/s#phone=13800138003', 'https://www.baidu.com/s'],
    ['https://m.example.cn/?wd=%E6%B2%99%E5%8F%91&tel=13800138003', 'https://m.example.cn/'],
    ['https://spa.example.com/#/route?tel=1', 'https://spa.example.com/'], // a referrer keeps no route either (the SDK's stripUrl)
    ['https://www.douyin.com/video/1', 'https://www.douyin.com/video/1'],
  ])('%s is stored as %s', (r, want) => {
    expect(checked({ r }).r).toBe(want);
  });
});

describe('the page of a conversation event', () => {
  const now = Date.now();
  const page = (p: string) => {
    const r = checkConversationEvent({ conversation: 'c1', type: 'started', at: now, page: p }, now);
    if (!r.ok) throw new Error(`rejected: ${r.code}`);
    return r.event.page;
  };

  it.each([
    ['/landing#phone=13800138003', '/landing'],
    ['https://shop.example.cn/sofa?name=%E5%BC%A0&tel=13800138003', 'https://shop.example.cn/sofa'],
    ['/#/sku/9?tel=13800138003', '/#/sku/9'],
    ['/sofa', '/sofa'],
  ])('%s is stored as %s', (p, want) => {
    expect(page(p)).toBe(want);
  });

  it('a page that is only a fragment is no page', () => {
    expect(page('#tel=13800138003')).toBeNull();
  });
});
