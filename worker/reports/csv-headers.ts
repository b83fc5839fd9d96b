// What a CSV's header row says and how its money reads: `lang=en` keeps the
// JSON keys, `lang=zh-CN` gives Chinese names; money columns, integer fen in
// the JSON, are written in yuan with the unit in the header (`revenue_yuan`,
// `成交额（元）`), so a spreadsheet's sums are in the unit people quote.
import type { Lang } from '../../protocol/reports';
import { toCsv } from './csv';

export type { Lang };

/** Columns holding integer minor units (fen) wherever a report or the leads list has them. */
const MONEY = new Set(['revenue', 'avgDeal', 'spend', 'costPerConsult', 'costPerAppointment', 'costPerArrival', 'costPerDeal', 'budget']);

const ZH: Record<string, string> = {
  period: '周期', from: '开始日期', to: '结束日期',
  channel: '渠道', channelName: '渠道名称', campaign: '活动', promoter: '推广员', store: '门店', region: '省份', city: '城市',
  visitors: '访客数', views: '浏览量', consults: '咨询人数', appointments: '预约数',
  arrivals: '到店数', bookedArrivals: '预约到店数', walkIns: '自然到店数', deals: '成交人数', revenue: '成交额',
  consultRate: '咨询率', appointmentRate: '预约率', arrivalRate: '到店率', closeRate: '成交率', avgDeal: '客单价', uplift: '超预算比例',
  spend: '投放花费', costPerConsult: '咨询成本', costPerAppointment: '预约成本', costPerArrival: '到店成本', costPerDeal: '成交成本', roi: '投资回报率',
  sku: 'SKU', rank: '排名', score: '兴趣分', dwellMs: '停留时长（毫秒）', medianDwellMs: '停留中位数（毫秒）', units: '销量（件）',
  viewsPart: '浏览得分', visitorsPart: '访客得分', dwellMsPart: '停留得分', consultsPart: '咨询得分', appointmentsPart: '预约得分',
  code: '预约码', status: '状态', source: '来源', conversation: '会话ID', note: '备注', visitor: '访客ID', budget: '预算', style: '风格', skus: '意向商品',
  day: '日期', createdAt: '创建时间', updatedAt: '更新时间',
  agent: '客服', conversations: '会话数', answered: '已回复会话数', unanswered: '未回复会话数',
  firstResponseMedianMs: '首次响应中位数（毫秒）', firstResponseP90Ms: '首次响应P90（毫秒）', answeredWithinTarget: '达标回复会话数',
  withinTargetRate: '达标率', ended: '已结束会话数', durationMedianMs: '会话时长中位数（毫秒）', replies: '回复数', topTopics: '热门话题',
  firstChannel: '首次渠道', firstCampaign: '首次活动', firstPromoter: '首次推广员',
  lastChannel: '末次渠道', lastCampaign: '末次活动', lastPromoter: '末次推广员',
  scene: '场景值', name: '场景', booked: '预约人数', arrived: '到店人数', bought: '成交人数',
};

/** The header of a column in `lang`: money columns carry their unit. */
export function header(col: string, lang: Lang): string {
  if (lang === 'zh-CN') return MONEY.has(col) ? `${ZH[col] ?? col}（元）` : ZH[col] ?? col;
  return MONEY.has(col) ? `${col}_yuan` : col;
}

/** Fen to yuan, as a number (so a spreadsheet sums it); null stays empty. */
const yuan = (v: unknown) => (typeof v === 'number' ? Math.round(v) / 100 : v);

/** The CSV of `rows` under `columns`: headers in `lang`, money in yuan, BOM first (toCsv). */
export function reportCsv(columns: string[], rows: Record<string, unknown>[], lang: Lang): string {
  const money = columns.filter((c) => MONEY.has(c));
  const out = money.length ? rows.map((r) => ({ ...r, ...Object.fromEntries(money.map((c) => [c, yuan(r[c])])) })) : rows;
  return toCsv(columns, out, columns.map((c) => header(c, lang)));
}
