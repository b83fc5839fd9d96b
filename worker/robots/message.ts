// The morning report as a robot's markdown message, in Chinese: the site's
// funnel with its four rates against the same weekday a week earlier, each
// channel and store, the top SKUs per region, and the dashboard link. Only the
// markdown both robots render (headings, bold, quotes, lists, links).
import type { RobotKind } from '../../protocol/robots';
import { dayLabel } from './dates';
import { fitLines } from './fit';
import { change, count, money, pct } from './format';
import { RATES, type Line, type MorningNumbers, type Rate, type TopSku } from './numbers';

/** WeCom's limit on markdown.content; DingTalk's is larger, and one size keeps both groups' messages alike. */
export const MESSAGE_BYTES = 4096;

const RATE_NAMES: Record<Rate, string> = { consultRate: '咨询率', appointmentRate: '预约率', arrivalRate: '到店率', closeRate: '成交率' };
// A store has no online stage: its rates start at the appointment.
const STORE_RATES: Rate[] = ['arrivalRate', 'closeRate'];

/** "咨询率 9.7%（↑1.2pp）": the rate and its change, the change left out when a week earlier had no rate. */
function rate(l: Line, r: Rate): string {
  const c = change(l.now[r], l.weekAgo?.[r]);
  return `${RATE_NAMES[r]} ${pct(l.now[r])}${c ? `（${c}）` : ''}`;
}

/**
 * "访客 1,234 · 咨询 120 · 预约 30 · 到店 12（自然进店 2）· 成交 5 · ¥135,000"
 * (a store's line starts at 预约; walk-ins are named since the arrival rate leaves them out).
 */
function stages(l: Line, currency: string): string {
  const n = l.now;
  const parts = n.visitors === null ? [] : [`访客 ${count(n.visitors)}`, `咨询 ${count(n.consults)}`];
  const walkIns = n.walkIns > 0 ? `（自然进店 ${count(n.walkIns)}）` : '';
  parts.push(`预约 ${count(n.appointments)}`, `到店 ${count(n.arrivals)}${walkIns}`, `成交 ${count(n.deals)}`, money(n.revenue, currency));
  return parts.join(' · ');
}

const item = (l: Line, rates: readonly Rate[], currency: string) => `- **${l.label}**：${stages(l, currency)}\n  ${rates.map((r) => rate(l, r)).join('｜')}`;

function sku(s: TopSku): string {
  const more = [s.consults && `咨询 ${count(s.consults)}`, s.appointments && `预约 ${count(s.appointments)}`, s.units && `售 ${count(s.units)} 件`];
  return `${s.sku}（${[`访客 ${count(s.visitors)}`, ...more.filter(Boolean)].join('，')}）`;
}

export interface MorningMessage {
  title: string; // DingTalk's notification line
  text: string; // the markdown, at most MESSAGE_BYTES of UTF-8
}

/** `link`: the dashboard (null when the robot and the site have none). */
export function morningMessage(n: MorningNumbers, link: string | null, budget = MESSAGE_BYTES): MorningMessage {
  const cur = n.site.currency;
  const title = `${n.site.name} 经营日报 ${dayLabel(n.day)}`;
  const t = n.total;
  const head = [
    `### ${n.site.name} · 昨日经营日报`,
    `> ${dayLabel(n.day)}，对比上周同日 ${dayLabel(n.weekAgo)}；pp 为百分点`,
    '',
    `**全站**：${stages(t, cur)}`,
    ...RATES.map((r) => `- ${rate(t, r)}`),
  ].join('\n');
  const sections = [
    { heading: '\n**渠道**（末次触点）', items: n.channels.map((l) => item(l, RATES, cur)), cap: 10 },
    { heading: '\n**门店**', items: n.stores.map((l) => item(l, STORE_RATES, cur)), cap: 10 },
    {
      heading: '\n**各地区热门商品**',
      items: n.regions.map((r) => `- ${r.region || '未知地区'}：${r.skus.map(sku).join('、')}`),
      cap: 8,
    },
  ];
  const tail = link ? `\n[打开看板查看详情](${link})` : '\n（未设置看板地址）';
  return { title, text: fitLines(head, sections, tail, budget) };
}

/** The JSON body the robot takes: WeCom's `content`, DingTalk's `title` and `text`. */
export function robotBody(kind: RobotKind, m: MorningMessage): string {
  const markdown = kind === 'wecom' ? { content: m.text } : { title: m.title, text: m.text };
  return JSON.stringify({ msgtype: 'markdown', markdown });
}

/** The report's link: the robot's own dashboardUrl, else the site's first allowed origin + /dashboard, else none. */
export function dashboardLink(dashboardUrl: string | null, origins: string[]): string | null {
  return dashboardUrl ?? (origins[0] ? `${origins[0]}/dashboard` : null);
}
