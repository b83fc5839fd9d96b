// WeChat mini programs' launch scenes, as a report dimension: the zh-CN names of
// the common scene numbers, and the scenes report's query and answer
// (GET /api/v1/reports/scenes). A scene number says how the mini program was
// opened: a scanned poster (1047) is not a card shared in a chat (1007).
import * as v from 'valibot';
import { siteKey } from './fields';
import { format, lang, reportDay } from './reports';

/**
 * Short zh-CN names of the scenes a brand's mini program meets most, from WeChat's
 * scene list (developers.weixin.qq.com, 场景值列表). A number not listed is shown as
 * its number: WeChat adds scenes over time.
 */
export const SCENE_NAMES: Readonly<Record<string, string>> = {
  1000: '其他',
  1001: '发现页最近使用',
  1005: '微信首页搜索',
  1006: '小程序入口搜索',
  1007: '单聊分享卡片',
  1008: '群聊分享卡片',
  1010: '收藏夹',
  1011: '扫二维码',
  1012: '长按识别二维码',
  1013: '相册选取二维码',
  1023: '桌面图标',
  1035: '公众号菜单',
  1036: 'App 分享卡片',
  1037: '从其他小程序打开',
  1038: '从其他小程序返回',
  1043: '公众号模板消息',
  1045: '朋友圈广告',
  1046: '朋友圈广告详情',
  1047: '扫小程序码',
  1048: '长按识别小程序码',
  1049: '相册选取小程序码',
  1053: '搜一搜',
  1058: '公众号文章',
  1067: '公众号文章广告',
  1069: '移动应用打开',
  1074: '公众号会话卡片',
  1089: '聊天主界面下拉',
};

/** `GET /api/v1/reports/scenes`: the mini program's visitors whose first landing was in the range, by scene. */
export const ScenesQuery = v.object({ site: siteKey, from: reportDay, to: reportDay, format, lang });

/** The scenes CSV's columns, in order. */
export const SCENE_COLUMNS = ['scene', 'name', 'visitors', 'booked', 'arrived', 'bought', 'revenue'] as const;

/** One scene's cohort: visitors who first landed through it, and how many of them went on. */
export interface SceneRow {
  scene: string; // the launch scene number, as kept in the touch's medium
  name: string | null; // zh-CN name of a common scene (SCENE_NAMES), else null
  visitors: number; // visitors whose first touch was a landing in this scene, in the range
  booked: number; // of those, visitors with an appointment (a lead), at any time
  arrived: number; // with a store arrival
  bought: number; // with a deal not voided
  revenue: number; // their deals' amounts, minor units
}

export interface ScenesReport {
  site: string;
  from: string;
  to: string;
  timezone: string;
  rows: SceneRow[]; // most visitors first
}

export const scenesExample: ScenesReport = {
  site: 'demo', from: '2026-12-01', to: '2026-12-07', timezone: 'Asia/Shanghai',
  rows: [
    { scene: '1047', name: '扫小程序码', visitors: 320, booked: 41, arrived: 22, bought: 9, revenue: 10_800_000 },
    { scene: '1007', name: '单聊分享卡片', visitors: 210, booked: 12, arrived: 5, bought: 2, revenue: 2_600_000 },
  ],
};
