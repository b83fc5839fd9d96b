// The desk's words (zh-CN default, en), beside the dashboard's own (i18n.js).
import { getLang } from '../i18n.js';

const zh = {
  queue: '会话队列', waiting: '等待接待', open: '接待中', ended: '已结束', claim: '接待', openIt: '打开', empty: '暂无会话',
  taken: '已被其他客服接待', online: '在线客服', offline: '连接已断开，正在重连…', pick: '从左侧选择或接待一个会话。',
  reply: '回复', send: '发送', quick: '快捷回复', topics: '话题标签', end: '结束会话', endedNote: '会话已结束',
  visitor: '访客', system: '系统', typing: '访客正在输入…', booked: '已预约', notClaimed: '请先接待这个会话',
  context: '访客信息', channel: '渠道', campaign: '活动', firstTouch: '首次来源', place: '地区', device: '设备', firstSeen: '首次访问', lastSeen: '最近访问',
  page: '咨询页面', pages: '最近浏览', skus: '关注的商品', visits: '到访记录', leads: '历史线索', none: '—', dwell: '停留', views: '浏览',
  book: '预约到店', store: '门店', budget: '预算（元）', style: '风格', skusField: '商品（逗号分隔）', time: '到店时间', note: '备注', submit: '提交预约',
  bookedCode: '预约成功，预约码：', duplicate: '（该访客当天已有此门店的预约）', timePlaceholder: '例如 周六下午', refresh: '刷新访客信息',
};
const en = {
  queue: 'Queue', waiting: 'Waiting', open: 'Open', ended: 'Ended', claim: 'Claim', openIt: 'Open', empty: 'No conversations',
  taken: 'Another agent took it', online: 'Agents online', offline: 'Disconnected, reconnecting…', pick: 'Pick or claim a conversation on the left.',
  reply: 'Reply', send: 'Send', quick: 'Quick replies', topics: 'Topic tags', end: 'End chat', endedNote: 'The conversation has ended',
  visitor: 'Visitor', system: 'System', typing: 'The visitor is typing…', booked: 'Booked', notClaimed: 'Claim this conversation first',
  context: 'Visitor', channel: 'Channel', campaign: 'Campaign', firstTouch: 'First touch', place: 'Place', device: 'Device', firstSeen: 'First seen', lastSeen: 'Last seen',
  page: 'Chat page', pages: 'Recent pages', skus: 'SKUs dwelt on', visits: 'Visits', leads: 'Earlier leads', none: '—', dwell: 'Dwell', views: 'Views',
  book: 'Book a visit', store: 'Store', budget: 'Budget (yuan)', style: 'Style', skusField: 'SKUs (comma-separated)', time: 'Time', note: 'Note', submit: 'Book',
  bookedCode: 'Booked, lead code: ', duplicate: ' (the visitor already had one for this store that day)', timePlaceholder: 'e.g. Saturday afternoon', refresh: 'Refresh the visitor',
};

export const dt = (key) => (getLang() === 'en' ? en : zh)[key] ?? zh[key] ?? key;
