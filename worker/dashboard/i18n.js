// Words and number/date formats for the dashboard. zh-CN is the default (the
// people who read it run stores in China); English is one click away. Numbers,
// money and dates go through Intl so both locales read naturally.
const zh = {
  title: 'o2o 渠道到店看板', signin: '登录', signout: '退出', token: '报表令牌', tokenHint: '粘贴管理员发给您的报表令牌（o2o_r_…）。令牌只保存在本标签页中。',
  site: '站点', from: '开始', to: '结束', lang: 'English', loading: '加载中…', retry: '重试', save: '保存', saved: '已保存',
  'error.title': '出错了', 'error.signin': '令牌无效或已撤销',
  'tab.channels': '渠道', 'tab.regions': '区域 × 商品', 'tab.stores': '门店', 'tab.leads': '线索', 'tab.service': '客服', 'tab.desk': '客服工作台',
  touch: '归因', 'touch.last': '末次触点', 'touch.first': '首次触点', 'touch.linear': '线性', 'touch.position': '位置', 'touch.time_decay': '时间衰减',
  'scene.title': '小程序来源场景', 'scene.about': '首次从微信小程序进入的访客，按打开场景（扫码、聊天卡片……）分组，并跟踪之后的预约、到店和成交。', scene: '场景',
  'scene.booked': '预约人数', 'scene.arrived': '到店人数', 'scene.bought': '成交人数', 'scene.bookRate': '预约占比',
  'compare.title': '归因模型对比', 'compare.open': '对比各模型', 'touch.linear.about': '：{w} 天归因窗口内的每个触点平分功劳。', 'touch.position.about': '：首次和末次触点各得 40%，中间的触点平分 20%。',
  'touch.time_decay.about': '：越接近转化的触点功劳越大，每早 {h} 天，功劳减半。', by: '维度', 'by.channel': '渠道', 'by.campaign': '活动', 'by.promoter': '推广员',
  visitors: '访客', consults: '咨询', appointments: '预约', arrivals: '到店', deals: '成交', revenue: '成交额',
  consultRate: '咨询率', appointmentRate: '预约率', arrivalRate: '到店率', closeRate: '成交率', avgDeal: '客单价', uplift: '超预算',
  spend: '投放', costPerArrival: '到店成本', roi: 'ROI', channel: '渠道', funnel: '转化漏斗',
  region: '区域', sku: '商品', views: '浏览', dwell: '停留', dwellMs: '停留', medianDwell: '停留中位数', score: '兴趣分', rank: '排名', units: '销量',
  heatmap: '各区域商品兴趣分', stocking: '备货建议', ranking: '区域排名', parts: '得分构成', allRegions: '全部区域',
  store: '门店', storeChart: '各门店到店与成交',
  code: '预约码', status: '状态', note: '备注', budget: '预算', style: '风格', created: '创建时间', 'status.new': '待筛选', 'status.qualified': '有效', 'status.unqualified': '无效', allStatus: '全部状态',
  agent: '客服', day: '日期', conversations: '会话', firstResponse: '首次响应（中位数）', firstResponseP90: '首次响应（P90）', duration: '会话时长（中位数）',
  withinTarget: '达标率', unanswered: '未回复', topics: '常见问题', responseChart: '首次响应时间', topic: '话题',
  'empty.channels': '这个时间段还没有访问数据', 'empty.channels.next': '把下面这行脚本粘贴到店铺每个页面的 <head> 中，然后带渠道参数（如 ?ch=baidu_sem）打开页面：',
  'empty.regions': '还没有商品浏览数据', 'empty.regions.next': '在商品页加上 <meta name="o2o:sku" content="商品编号">，访客浏览后这里会出现各区域的兴趣分。',
  'empty.stores': '还没有到店或成交记录', 'empty.stores.next': '门店同事用门店令牌登记到店（POST /api/v1/arrivals）和成交（POST /api/v1/deals），或让顾客扫门店海报二维码签到。',
  'empty.leads': '还没有预约线索', 'empty.leads.next': '给预约表单加上 data-o2o-appointment，顾客提交后会得到预约码，线索就会出现在这里。',
  'empty.service': '还没有客服会话', 'empty.service.next': '让聊天系统把会话事件推送到 POST /api/v1/conversations（见 docs/zh-CN/integrations.md“对接聊天系统”）。',
  'missing.api': '服务器暂未提供此报表', seconds: '秒',
  bookedArrivals: '预约到店', walkIns: '自然到店', allArrivals: '全部到店', 'rates.title': '指标说明',
  trend: '趋势', period: '周期', 'period.day': '按日', 'period.week': '按周', 'period.month': '按月', weekNo: '第{n}周',
  scope: '范围', 'scope.top': '前 {n} 名', metric: '指标', thisRange: '本期', previous: '上期', vsPrevious: '较上期', 'compare.new': '新增',
  csv: '下载 CSV', 'csv.failed': '下载失败：',
  'tab.import': '导入', 'import.title': '导入成交和到店', 'import.kind': '导入内容', 'import.deals': '成交', 'import.arrivals': '到店', 'import.file': '选择文件',
  'import.intro': '从 CRM 或收银系统导出的 CSV（UTF-8，或中文 Excel 保存的 GBK）或 JSON。先预览每一行，确认后才写入；同一份文件再导入不会重复。',
  'import.headers.deals': '表头：订单号、门店、预约码、金额（元）、预算、商品、成交日期', 'import.headers.arrivals': '表头：门店、预约码、到店日期',
  'import.needStore': '导入成交和到店需要门店令牌（o2o_s_…）：报表令牌只能查看报表。请退出，再用门店令牌登录。',
  'import.preview': '预览（尚未写入）', 'import.result': '导入结果', 'import.encoding': '编码', 'import.row': '行', 'import.key': '订单号', 'import.outcome': '结果', 'import.detail': '说明',
  'import.status.would_create': '将新建', 'import.status.created': '已新建', 'import.status.duplicate': '已导入过', 'import.status.error': '错误',
  'import.confirm': '确认导入', 'import.nothing': '没有新记录：文件中的行都已导入过，或有错误。', 'import.done': '已写入。再导入同一份文件不会重复。',
};

const en = {
  title: 'o2o channel-to-store dashboard', signin: 'Sign in', signout: 'Sign out', token: 'Report token', tokenHint: 'Paste the report token your admin gave you (o2o_r_…). It is kept in this tab only.',
  site: 'Site', from: 'From', to: 'To', lang: '中文', loading: 'Loading…', retry: 'Retry', save: 'Save', saved: 'Saved',
  'error.title': 'Something went wrong', 'error.signin': 'The token is unknown or revoked',
  'tab.channels': 'Channels', 'tab.regions': 'Regions × SKUs', 'tab.stores': 'Stores', 'tab.leads': 'Leads', 'tab.service': 'Service', 'tab.desk': 'Desk',
  touch: 'Attribution', 'touch.last': 'Last touch', 'touch.first': 'First touch', 'touch.linear': 'Linear', 'touch.position': 'Position', 'touch.time_decay': 'Time decay',
  'scene.title': 'Mini program scenes', 'scene.about': 'Visitors whose first landing was in the WeChat mini program, by how it was opened (a scanned code, a chat card, …), followed to their appointments, arrivals and deals.', scene: 'Scene',
  'scene.booked': 'Booked', 'scene.arrived': 'Arrived', 'scene.bought': 'Bought', 'scene.bookRate': 'Booked share',
  'compare.title': 'Attribution models compared', 'compare.open': 'Compare the models', 'touch.linear.about': ': every touch in the {w}-day attribution window shares the credit equally.', 'touch.position.about': ': the first and the last touch get 40% each; the touches between share 20%.',
  'touch.time_decay.about': ': touches nearer the conversion earn more: a touch {h} days earlier earns half as much.', by: 'Group by', 'by.channel': 'Channel', 'by.campaign': 'Campaign', 'by.promoter': 'Promoter',
  visitors: 'Visitors', consults: 'Consults', appointments: 'Appointments', arrivals: 'Arrivals', deals: 'Deals', revenue: 'Revenue',
  consultRate: 'Consult rate', appointmentRate: 'Appointment rate', arrivalRate: 'Arrival rate', closeRate: 'Close rate', avgDeal: 'Avg deal', uplift: 'Uplift',
  spend: 'Spend', costPerArrival: 'Cost / arrival', roi: 'ROI', channel: 'Channel', funnel: 'Funnel',
  region: 'Region', sku: 'SKU', views: 'Views', dwell: 'Dwell', dwellMs: 'Dwell', medianDwell: 'Median dwell', score: 'Score', rank: 'Rank', units: 'Units',
  heatmap: 'Interest score by region and SKU', stocking: 'Stocking list', ranking: 'Ranking in region', parts: 'Score parts', allRegions: 'All regions',
  store: 'Store', storeChart: 'Arrivals and deals per store',
  code: 'Lead code', status: 'Status', note: 'Note', budget: 'Budget', style: 'Style', created: 'Created', 'status.new': 'New', 'status.qualified': 'Qualified', 'status.unqualified': 'Unqualified', allStatus: 'All statuses',
  agent: 'Agent', day: 'Day', conversations: 'Conversations', firstResponse: 'First response (median)', firstResponseP90: 'First response (p90)', duration: 'Duration (median)',
  withinTarget: 'Within target', unanswered: 'Unanswered', topics: 'Common questions', responseChart: 'First-response time', topic: 'Topic',
  'empty.channels': 'No visits in this range yet', 'empty.channels.next': 'Paste this line into the <head> of every storefront page, then open a page with a channel code (e.g. ?ch=baidu_sem):',
  'empty.regions': 'No SKU views yet', 'empty.regions.next': 'Add <meta name="o2o:sku" content="SKU-CODE"> to product pages; interest scores per region appear once visitors browse them.',
  'empty.stores': 'No arrivals or deals yet', 'empty.stores.next': 'Store staff record arrivals (POST /api/v1/arrivals) and deals (POST /api/v1/deals) with a store token, or customers scan the store poster to check in.',
  'empty.leads': 'No appointment leads yet', 'empty.leads.next': 'Mark the appointment form with data-o2o-appointment; each submission gets a lead code and shows up here.',
  'empty.service': 'No service conversations yet', 'empty.service.next': 'Have the chat system post conversation events to POST /api/v1/conversations (see docs/integrations.md, "Chat systems").',
  'missing.api': 'The server does not offer this report yet', seconds: 's',
  bookedArrivals: 'Booked arrivals', walkIns: 'Walk-ins', allArrivals: 'All arrivals', 'rates.title': 'What the rates mean',
  trend: 'Trend', period: 'Period', 'period.day': 'Daily', 'period.week': 'Weekly', 'period.month': 'Monthly', weekNo: 'W{n}',
  scope: 'Rows', 'scope.top': 'Top {n}', metric: 'Metric', thisRange: 'This range', previous: 'Previous', vsPrevious: 'vs previous:', 'compare.new': 'new',
  csv: 'Download CSV', 'csv.failed': 'Download failed:',
  'tab.import': 'Import', 'import.title': 'Import deals and arrivals', 'import.kind': 'What to import', 'import.deals': 'Deals', 'import.arrivals': 'Arrivals', 'import.file': 'Choose a file',
  'import.intro': 'A CSV export from your CRM or POS (UTF-8, or GBK as Chinese Excel saves it) or JSON. Every row is previewed first and nothing is written until you confirm; importing the same file again adds nothing.',
  'import.headers.deals': 'Headers: order number (订单号), store (门店), lead code (预约码), amount in yuan (金额), budget (预算), SKUs (商品), date (成交日期)', 'import.headers.arrivals': 'Headers: store (门店), lead code (预约码), date (到店日期)',
  'import.needStore': 'Importing deals and arrivals needs a store token (o2o_s_…): a report token can only read reports. Sign out and sign in with a store token.',
  'import.preview': 'Preview (nothing written yet)', 'import.result': 'Import result', 'import.encoding': 'Encoding', 'import.row': 'Row', 'import.key': 'Order no.', 'import.outcome': 'Result', 'import.detail': 'Detail',
  'import.status.would_create': 'Would create', 'import.status.created': 'Created', 'import.status.duplicate': 'Already imported', 'import.status.error': 'Error',
  'import.confirm': 'Confirm import', 'import.nothing': 'Nothing new: every row was imported before or has an error.', 'import.done': 'Written. Importing the same file again adds nothing.',
};

const dicts = { 'zh-CN': zh, en };
let lang = localStorage.getItem('o2o.dashboard.lang') === 'en' ? 'en' : 'zh-CN';

export const getLang = () => lang;
export function setLang(l) {
  lang = l === 'en' ? 'en' : 'zh-CN';
  localStorage.setItem('o2o.dashboard.lang', lang);
  document.documentElement.lang = lang;
}
export const t = (key) => dicts[lang][key] ?? zh[key] ?? key;

const isNum = (v) => typeof v === 'number' && Number.isFinite(v);
export const num = (v, digits = 0) => (isNum(v) ? new Intl.NumberFormat(lang, { maximumFractionDigits: digits }).format(v) : '—');
/** A 0..1 fraction as a percentage. */
export const pct = (v) => (isNum(v) ? new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 }).format(v) : '—');
/** Integer minor units (fen) in the site's currency. */
export const money = (minor, currency = 'CNY') =>
  isNum(minor) ? new Intl.NumberFormat(lang, { style: 'currency', currency, maximumFractionDigits: 0 }).format(minor / 100) : '—';
export const ratio = (v) => (isNum(v) ? new Intl.NumberFormat(lang, { maximumFractionDigits: 2 }).format(v) : '—');
/** Milliseconds as seconds (or minutes past 120 s). */
export function duration(ms) {
  if (!isNum(ms)) return '—';
  const s = ms / 1000;
  if (s < 120) return new Intl.NumberFormat(lang, { style: 'unit', unit: 'second', unitDisplay: 'short', maximumFractionDigits: 1 }).format(s);
  return new Intl.NumberFormat(lang, { style: 'unit', unit: 'minute', unitDisplay: 'short', maximumFractionDigits: 1 }).format(s / 60);
}
/** A moment (ms since epoch or an ISO string) as a local date and time. */
export function dateTime(v) {
  const ms = typeof v === 'string' ? Date.parse(v) : v;
  return isNum(ms) ? new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(ms) : '—';
}
/** YYYY-MM-DD as a short local date, without shifting the day through UTC. */
export function day(s) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s || '');
  if (!m) return s ?? '—';
  return new Intl.DateTimeFormat(lang, { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(Date.UTC(+m[1], +m[2] - 1, +m[3]));
}
/** Today in a time zone, as YYYY-MM-DD (report days are the site's local days). */
export function today(timeZone = 'Asia/Shanghai', offsetDays = 0) {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(Date.now() + offsetDays * 86_400_000);
}
