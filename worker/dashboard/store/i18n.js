// The store workspace's own words: Chinese first, English one tap away. Kept
// apart from the dashboard's table: store staff see a different, smaller page.
const KEY = 'o2o.store.lang';

const zh = {
  title: '门店工作台', signin: '登录', signout: '退出', token: '门店令牌', tokenHint: '粘贴管理员发给您的门店令牌（o2o_s_…）。令牌只保存在本标签页中。',
  lang: 'English', loading: '加载中…', retry: '重试', store: '门店', 'error.signin': '令牌无效或已撤销', 'error.network': '网络不通，请求未送达。可以稍后重试。',
  'error.server': '服务器暂时出错，可以重试（不会重复记录）。', sending: '提交中…',
  'appts.title': '今天及之后的预约', 'appts.empty': '暂无预约', 'appts.nodate': '未约日期', 'appts.today': '今天',
  code: '预约码', time: '到店时间', budget: '预算', style: '风格', skus: '意向商品', status: '状态',
  'status.new': '待筛选', 'status.qualified': '有效', 'status.unqualified': '无效',
  'checkin.title': '到店签到', 'checkin.code': '预约码', 'checkin.submit': '签到', 'checkin.scan': '扫码', 'checkin.stop': '停止扫码',
  'checkin.ok': '已签到', 'checkin.dup': '今天已签到过', 'checkin.bad': '预约码是 6 位字母数字', 'checkin.deal': '为此顾客记成交',
  'deal.title': '记录成交', 'deal.lead': '预约码', 'deal.amount': '成交金额（元）', 'deal.skus': '商品', 'deal.noSkus': '本站还没有商品数据',
  'deal.qty': '数量', 'deal.itemAmount': '金额（元，可不填）', 'deal.submit': '记录成交', 'deal.badAmount': '请输入金额，如 13500 或 13,500.50',
  'deal.itemsMixed': '商品金额要么都填，要么都不填', 'deal.itemsSum': '各商品金额之和须等于成交金额', 'deal.badItem': '商品金额格式不对',
  'deal.ok': '已记录成交', 'deal.new': '再记一单',
  'mine.title': '本次登录记录的成交', 'mine.empty': '还没有记录成交', 'void.reason': '作废原因', 'void.submit': '作废', 'void.done': '已作废',
  'void.needReason': '请填写作废原因',
};

const en = {
  title: 'Store workspace', signin: 'Sign in', signout: 'Sign out', token: 'Store token', tokenHint: 'Paste the store token your admin gave you (o2o_s_…). It is kept in this tab only.',
  lang: '中文', loading: 'Loading…', retry: 'Retry', store: 'Store', 'error.signin': 'The token is unknown or revoked', 'error.network': 'No network: the request did not arrive. Retry when you are back online.',
  'error.server': 'The server had a problem. Retry (it will not be recorded twice).', sending: 'Sending…',
  'appts.title': 'Appointments today and later', 'appts.empty': 'No appointments', 'appts.nodate': 'No date', 'appts.today': 'Today',
  code: 'Code', time: 'Time', budget: 'Budget', style: 'Style', skus: 'SKUs', status: 'Status',
  'status.new': 'New', 'status.qualified': 'Qualified', 'status.unqualified': 'Unqualified',
  'checkin.title': 'Check in', 'checkin.code': 'Lead code', 'checkin.submit': 'Check in', 'checkin.scan': 'Scan', 'checkin.stop': 'Stop scanning',
  'checkin.ok': 'Checked in', 'checkin.dup': 'Already checked in today', 'checkin.bad': 'A lead code is 6 letters or digits', 'checkin.deal': 'Record a deal for this customer',
  'deal.title': 'Record a deal', 'deal.lead': 'Lead code', 'deal.amount': 'Amount (yuan)', 'deal.skus': 'SKUs', 'deal.noSkus': 'This site has no SKU data yet',
  'deal.qty': 'Qty', 'deal.itemAmount': 'Amount (yuan, optional)', 'deal.submit': 'Record deal', 'deal.badAmount': 'Enter an amount such as 13500 or 13,500.50',
  'deal.itemsMixed': 'Give every item an amount, or none', 'deal.itemsSum': "The items' amounts must add up to the total", 'deal.badItem': "An item's amount is not valid",
  'deal.ok': 'Deal recorded', 'deal.new': 'Record another',
  'mine.title': 'Deals recorded in this session', 'mine.empty': 'No deals recorded yet', 'void.reason': 'Reason to void', 'void.submit': 'Void', 'void.done': 'Voided',
  'void.needReason': 'Give a reason',
};

let lang = localStorage.getItem(KEY) === 'en' ? 'en' : 'zh-CN';

export const getLang = () => lang;

export function setLang(l) {
  lang = l === 'en' ? 'en' : 'zh-CN';
  localStorage.setItem(KEY, lang);
  document.documentElement.lang = lang;
}

export const t = (k) => (lang === 'en' ? en : zh)[k] ?? k;

/** YYYY-MM-DD in a time zone, `offset` days from now. */
export function today(tz, offset = 0) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(Date.now() + offset * 86_400_000);
}
