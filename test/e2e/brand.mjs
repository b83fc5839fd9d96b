// A realistic brand for the screenshot and import e2e tests, made only through
// the public API of the `wrangler dev` they started: the demo brand's site (a
// Chinese name), three stores (one with a long English name), a report and a
// store token, the demo week of traffic (scripts/demo-seed.mjs: six channels,
// ten cities, four SKUs, consults, leads, arrivals, deals), spend, and a chat
// system's conversations with long English agent names and topics.
import assert from 'node:assert/strict';
import { seedDemoWeek } from '../../scripts/demo-seed.mjs';
import { SITE } from '../../scripts/demo-week.mjs';

export { SITE };

export const STORES = [
  { id: 'sh-xuhui', name: '上海徐汇体验店', region: '上海', city: '上海' },
  { id: 'bj-chaoyang', name: 'Beijing Chaoyang Joy City Flagship Experience Showroom', region: '北京', city: '北京' },
  { id: 'gz-tianhe', name: '广州天河体验店', region: '广东', city: '广州' },
];

const AGENTS = ['Alexandra Montgomery-Whitfield', '客服小王', 'Christopher Vandenberg'];
const TOPICS = ['delivery and installation lead times', '价格', 'custom fabric and leather options'];

/**
 * Seeds the brand through `api` (test/e2e/http.mjs) at `base`, with the admin
 * token `admin`. Resolves to { report, store, days } (the tokens' secrets, the week's local days).
 */
export async function seedBrand({ base, admin, ok }) {
  await ok('/api/v1/admin/sites', { token: admin, method: 'POST', json: { siteKey: SITE, name: '木语家居 Muyu Home Furnishings', origins: [base], timezone: 'Asia/Shanghai' } });
  for (const s of STORES) await ok(`/api/v1/admin/sites/${SITE}/stores/${s.id}`, { token: admin, method: 'PUT', json: { name: s.name, region: s.region, city: s.city } });
  const report = (await ok('/api/v1/admin/tokens', { token: admin, method: 'POST', json: { kind: 'report', sites: [SITE], label: 'marketing' } })).token;
  const store = (await ok('/api/v1/admin/tokens', { token: admin, method: 'POST', json: { kind: 'store', sites: [SITE], stores: STORES.map((s) => ({ site: SITE, store: s.id })), label: 'store managers' } })).token;
  const week = await seedDemoWeek({ base, tokens: { report, store, admin } });
  assert.ok(week.visitors > 50 && week.deals > 0, `the demo week reached the reports: ${JSON.stringify(week)}`);

  await ok('/api/v1/spend', { token: report, method: 'PUT', json: { site: SITE, rows: ['baidu_sem', 'douyin_live', 'xiaohongshu'].map((channel, i) => ({ channel, date: week.days[3], amount: (i + 2) * 150_000 })) } });

  const now = Date.now();
  const events = AGENTS.flatMap((agent, n) => [0, 1, 2].flatMap((k) => {
    const conversation = `screens-${n}-${k}`;
    return [
      { conversation, type: 'started', at: now - 3_600_000 + n * 60_000 + k * 1000, agent, channel: ['baidu_sem', 'douyin_live', 'xiaohongshu'][k], page: '/sku/sofa-101.html', sku: 'SOFA-101', topics: [TOPICS[(n + k) % TOPICS.length]] },
      { conversation, type: 'first_reply', at: now - 3_600_000 + n * 60_000 + k * 1000 + (n + 1) * 7000 },
      { conversation, type: 'ended', at: now - 1_800_000 },
    ];
  }));
  const chat = await ok('/api/v1/conversations', { token: store, method: 'POST', json: { site: SITE, events } });
  assert.equal(chat.rejected?.length ?? 0, 0, `every conversation event is accepted: ${JSON.stringify(chat.rejected)}`);
  return { report, store, days: week.days };
}
