// Chinese names for where a Chinese visitor is, from what request.cf says in
// English: the province from its ISO 3166-2:CN code (or English name), the city
// from its romanised name. Reports join visitors' places with the stores'
// (written by the admin) on these names, so a store's region and city must be
// written exactly as here: 广东 / 广州, 上海 / 上海 (short forms, no 省/市/自治区).
//
// Sources: the 34 provincial-level divisions of ISO 3166-2:CN, with the letter
// codes ISO has used since 2017 and the numeric GB/T 2260 codes it used before;
// the cities are every provincial capital and some 150 of the most populous
// prefecture-level cities of the 2020 census (国家统计局, 第七次全国人口普查),
// plus Taiwan's six largest, as GB/T 2260 names them, keyed by Hanyu Pinyin
// without tones (as Cloudflare's English names spell them: Shenzhen, Xi'an) and
// the other spellings in use (Hohhot, Urumqi, Amoy). ~6 kB of the worker, minified.

/** Code, old numeric code, Chinese short name, English names (lower case, letters only). */
const PROVINCES = `AH 34 安徽 anhui|BJ 11 北京 beijing peking|CQ 50 重庆 chongqing|FJ 35 福建 fujian|GD 44 广东 guangdong
|GS 62 甘肃 gansu|GX 45 广西 guangxi guangxizhuang|GZ 52 贵州 guizhou|HA 41 河南 henan|HB 42 湖北 hubei|HE 13 河北 hebei
|HI 46 海南 hainan|HK 91 香港 hongkong xianggang|HL 23 黑龙江 heilongjiang|HN 43 湖南 hunan|JL 22 吉林 jilin|JS 32 江苏 jiangsu
|JX 36 江西 jiangxi|LN 21 辽宁 liaoning|MO 92 澳门 macau macao aomen|NM 15 内蒙古 innermongolia neimongol neimenggu
|NX 64 宁夏 ningxia ningxiahui|QH 63 青海 qinghai|SC 51 四川 sichuan|SD 37 山东 shandong|SH 31 上海 shanghai|SN 61 陕西 shaanxi
|SX 14 山西 shanxi|TJ 12 天津 tianjin|TW 71 台湾 taiwan|XJ 65 新疆 xinjiang xinjianguyghur xinjianguygur|XZ 54 西藏 tibet xizang
|YN 53 云南 yunnan|ZJ 33 浙江 zhejiang`;

/** Per province code: Chinese name, then its romanisations separated by '/'. Municipalities (and HK, MO) are their own city. */
const CITIES = `HE 石家庄shijiazhuang 保定baoding 邯郸handan 唐山tangshan 沧州cangzhou 邢台xingtai 衡水hengshui 廊坊langfang 张家口zhangjiakou 秦皇岛qinhuangdao
|SX 太原taiyuan 运城yuncheng 临汾linfen 大同datong|NM 呼和浩特hohhot/huhehaote/huhhot 包头baotou 赤峰chifeng 鄂尔多斯ordos/eerduosi
|LN 沈阳shenyang 大连dalian 鞍山anshan|JL 长春changchun 吉林jilin|HL 哈尔滨harbin/haerbin 齐齐哈尔qiqihar/qiqihaer 大庆daqing
|JS 南京nanjing 苏州suzhou 无锡wuxi 徐州xuzhou 常州changzhou 南通nantong 盐城yancheng 扬州yangzhou 泰州taizhou 淮安huaian 连云港lianyungang 宿迁suqian 镇江zhenjiang
|ZJ 杭州hangzhou 宁波ningbo 温州wenzhou 金华jinhua 台州taizhou 绍兴shaoxing 嘉兴jiaxing 湖州huzhou
|AH 合肥hefei 阜阳fuyang 宿州suzhou 亳州bozhou 六安luan 安庆anqing 芜湖wuhu 滁州chuzhou
|FJ 福州fuzhou 厦门xiamen/amoy 泉州quanzhou 漳州zhangzhou 莆田putian|JX 南昌nanchang 赣州ganzhou 上饶shangrao 宜春yichun 吉安jian 九江jiujiang 抚州fuzhou
|SD 济南jinan 青岛qingdao 临沂linyi 潍坊weifang 济宁jining 菏泽heze 烟台yantai 聊城liaocheng 德州dezhou 泰安taian 淄博zibo 滨州binzhou 枣庄zaozhuang 威海weihai 日照rizhao
|HA 郑州zhengzhou 南阳nanyang 周口zhoukou 商丘shangqiu 驻马店zhumadian 信阳xinyang 洛阳luoyang 新乡xinxiang 安阳anyang 平顶山pingdingshan 开封kaifeng 许昌xuchang 焦作jiaozuo
|HB 武汉wuhan 襄阳xiangyang 荆州jingzhou 黄冈huanggang 宜昌yichang 孝感xiaogan|HN 长沙changsha 邵阳shaoyang 衡阳hengyang 常德changde 永州yongzhou 岳阳yueyang 郴州chenzhou 怀化huaihua 株洲zhuzhou
|GD 广州guangzhou/canton 深圳shenzhen 东莞dongguan 佛山foshan 湛江zhanjiang 茂名maoming 揭阳jieyang 惠州huizhou 汕头shantou 江门jiangmen 中山zhongshan 肇庆zhaoqing 清远qingyuan 梅州meizhou 珠海zhuhai
|GX 南宁nanning 玉林yulin 桂林guilin 柳州liuzhou 贵港guigang|HI 海口haikou 三亚sanya|SC 成都chengdu 南充nanchong 达州dazhou 绵阳mianyang 宜宾yibin 泸州luzhou
|GZ 贵阳guiyang 毕节bijie 遵义zunyi|YN 昆明kunming 曲靖qujing 昭通zhaotong|XZ 拉萨lhasa/lasa|SN 西安xian/sian 咸阳xianyang 渭南weinan 宝鸡baoji 榆林yulin
|GS 兰州lanzhou 天水tianshui|QH 西宁xining|NX 银川yinchuan|XJ 乌鲁木齐urumqi/wulumuqi/urumchi 喀什kashgar/kashi
|TW 台北taipei/taibei 新北newtaipei/xinbei 桃园taoyuan 台中taichung/taizhong 台南tainan 高雄kaohsiung/gaoxiong`;

/** Provinces whose only prefecture-level city is themselves: a district (Pudong, Chaoyang) is still that city. */
const CITY_IS_PROVINCE = new Set(['BJ', 'SH', 'TJ', 'CQ', 'HK', 'MO']);
/** Countries Cloudflare reports apart that Chinese reports list as provincial-level regions. */
const AS_PROVINCE: Record<string, string> = { HK: 'HK', MO: 'MO', TW: 'TW' };

/** "Xi'an", "XIAN", "Hangzhou Shi", "Inner Mongolia Autonomous Region" → xian, xian, hangzhou, innermongolia. */
export function romanKey(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\s_-]+(city|shi|province|sheng|municipality|special administrative region|sar|autonomous region|zizhiqu)$/, '')
    .replace(/[^a-z]/g, '');
}

interface Tables {
  byCode: Map<string, string>; // "GD", "44" → GD
  byName: Map<string, string>; // "guangdong" → GD
  zhOf: Map<string, string>; // GD → 广东
  cities: Map<string, string>; // "GD:shenzhen" → 深圳
  anyCity: Map<string, string | null>; // "shenzhen" → 深圳; null when two provinces share it (Suzhou, Taizhou, Fuzhou, Yulin)
}

let tables: Tables | undefined;

/** Built on first use, once per isolate. */
function load(): Tables {
  if (tables) return tables;
  const t: Tables = { byCode: new Map(), byName: new Map(), zhOf: new Map(), cities: new Map(), anyCity: new Map() };
  for (const row of PROVINCES.split('|')) {
    const [code, num, zh, ...names] = row.trim().split(' ');
    t.byCode.set(code, code).set(num, code);
    t.zhOf.set(code, zh);
    for (const n of names) {
      t.byName.set(n, code);
      if (CITY_IS_PROVINCE.has(code)) t.anyCity.set(n, zh);
    }
  }
  for (const group of CITIES.split('|')) {
    const [code, ...entries] = group.trim().split(/\s+/);
    for (const entry of entries) {
      const [, zh, romans] = /^(\P{Script=Latin}+)(.+)$/u.exec(entry)!;
      for (const r of romans.split('/')) {
        t.cities.set(`${code}:${r}`, zh);
        t.anyCity.set(r, t.anyCity.has(r) && t.anyCity.get(r) !== zh ? null : zh);
      }
    }
  }
  return (tables = t);
}

/** The province code for request.cf's regionCode ("GD", "44", "CN-GD") or, failing that, its English region name. */
function provinceOf(t: Tables, regionCode: string | null, region: string | null): string | null {
  const code = regionCode && t.byCode.get(regionCode.toUpperCase().replace(/^CN-/, ''));
  return code || (region && t.byName.get(romanKey(region))) || null;
}

export interface Place {
  region: string | null;
  city: string | null;
}

/**
 * For a visitor in China (CN, and HK, MO, TW as provincial-level regions): the
 * Chinese short names of the province and the city, each falling back to the
 * English name Cloudflare gave when the tables don't know it. Other countries
 * come back as given.
 *
 * @example placeCn('CN', 'GD', 'Guangdong', 'Shenzhen') // { region: '广东', city: '深圳' }
 * @example placeCn('CN', 'SH', 'Shanghai', 'Pudong')   // { region: '上海', city: '上海' }
 */
export function placeCn(country: string | null, regionCode: string | null, region: string | null, city: string | null): Place {
  if (country !== 'CN' && !(country && country in AS_PROVINCE)) return { region, city };
  const t = load();
  const code = country === 'CN' ? provinceOf(t, regionCode, region) : AS_PROVINCE[country];
  if (!code) return { region, city: (city && t.anyCity.get(romanKey(city))) || city };
  const zh = t.zhOf.get(code)!;
  if (CITY_IS_PROVINCE.has(code)) return { region: zh, city: zh };
  return { region: zh, city: (city && t.cities.get(`${code}:${romanKey(city)}`)) || city };
}

/** Every province's Chinese name, as stores' regions should be written. */
export function provinceNames(): string[] {
  return [...load().zhOf.values()];
}

/** Every city's Chinese name the tables know, as stores' cities should be written (plus the municipalities, HK and MO). */
export function cityNames(): string[] {
  const t = load();
  return [...new Set([...[...CITY_IS_PROVINCE].map((c) => t.zhOf.get(c)!), ...t.cities.values()])];
}
