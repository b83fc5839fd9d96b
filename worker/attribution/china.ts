// What the npm referrer dataset lacks for China: search engines, social and
// content sites, portals, Android app referrers and in-app browsers. Checked
// before the dataset, so these names win. Sources follow GA's lowercase style.

export interface SourceMedium {
  source: string;
  medium: string;
}

const sm = (source: string, medium: string): SourceMedium => ({ source, medium });

/**
 * Referrer host (or host + path prefix) → source / medium. A host matches itself
 * and its subdomains; the longest entry wins (tieba.baidu.com before baidu.com).
 */
export const CHINA_REFERRERS: Record<string, SourceMedium> = {
  // Search engines. Baidu's ad clicks pass through /baidu.php.
  'baidu.com': sm('baidu', 'organic'),
  'www.baidu.com/baidu.php': sm('baidu', 'cpc'),
  'm.baidu.com/baidu.php': sm('baidu', 'cpc'),
  'sogou.com': sm('sogou', 'organic'),
  'so.com': sm('360', 'organic'),
  'so.360.cn': sm('360', 'organic'),
  'sm.cn': sm('shenma', 'organic'),
  'so.toutiao.com': sm('toutiao', 'organic'),
  'bing.com': sm('bing', 'organic'),
  // Social and content platforms, forums.
  'tieba.baidu.com': sm('tieba', 'social'),
  'weibo.com': sm('weibo', 'social'),
  'weibo.cn': sm('weibo', 'social'),
  't.cn': sm('weibo', 'social'),
  'zhihu.com': sm('zhihu', 'social'),
  'douban.com': sm('douban', 'social'),
  'xiaohongshu.com': sm('xiaohongshu', 'social'),
  'xhslink.com': sm('xiaohongshu', 'social'),
  'douyin.com': sm('douyin', 'social'),
  'iesdouyin.com': sm('douyin', 'social'),
  'toutiao.com': sm('toutiao', 'social'),
  'bilibili.com': sm('bilibili', 'social'),
  'b23.tv': sm('bilibili', 'social'),
  'kuaishou.com': sm('kuaishou', 'social'),
  'mp.weixin.qq.com': sm('wechat', 'social'),
  'weixin.qq.com': sm('wechat', 'social'),
  'smzdm.com': sm('smzdm', 'social'),
  'dianping.com': sm('dianping', 'social'),
  // Portals and marketplaces: named referrals.
  'sina.com.cn': sm('sina', 'referral'),
  'sohu.com': sm('sohu', 'referral'),
  '163.com': sm('netease', 'referral'),
  'qq.com': sm('qq', 'referral'),
  'ifeng.com': sm('ifeng', 'referral'),
  'jd.com': sm('jd', 'referral'),
  'taobao.com': sm('taobao', 'referral'),
  'tmall.com': sm('tmall', 'referral'),
};

/** `android-app://PACKAGE/` referrers that Android apps send. */
export const ANDROID_APPS: Record<string, SourceMedium> = {
  'com.tencent.mm': sm('wechat', 'app'),
  'com.tencent.mobileqq': sm('qq', 'app'),
  'com.sina.weibo': sm('weibo', 'app'),
  'com.ss.android.ugc.aweme': sm('douyin', 'app'),
  'com.ss.android.article.news': sm('toutiao', 'app'),
  'com.xingin.xhs': sm('xiaohongshu', 'app'),
  'com.alibaba.android.rimet': sm('dingtalk', 'app'),
  'com.baidu.searchbox': sm('baidu', 'organic'),
  'com.google.android.googlequicksearchbox': sm('google', 'organic'),
  'com.google.android.gm': sm('gmail', 'email'),
};

/** In-app browsers by user agent, most specific first (WeCom's UA also says MicroMessenger). */
export const IN_APP: readonly [RegExp, SourceMedium][] = [
  [/wxwork/i, sm('wecom', 'app')],
  [/MicroMessenger/i, sm('wechat', 'app')],
  [/DingTalk/i, sm('dingtalk', 'app')],
  [/\bWeibo\b|__weibo__/i, sm('weibo', 'app')],
  [/aweme|Douyin/i, sm('douyin', 'app')],
  [/NewsArticle/, sm('toutiao', 'app')],
  [/xhsdiscover|XiaoHongShu/i, sm('xiaohongshu', 'app')],
  [/\sQQ\/\d/, sm('qq', 'app')],
  [/AlipayClient/i, sm('alipay', 'app')],
];

/** Ad click ids in the landing URL → the paid source they prove. */
export const CLICK_IDS: readonly [string, SourceMedium][] = [
  ['bd_vid', sm('baidu', 'cpc')],
  ['qhclickid', sm('360', 'cpc')],
  ['clickid', sm('oceanengine', 'cpc')], // Ocean Engine: Douyin, Toutiao and their network
  ['gclid', sm('google', 'cpc')],
];
