// The demo brand's last 7 local days, made up the same way every time: visitors
// from five channels and ten cities browse the demo storefront's SKUs, consult
// and book; some of their leads arrive at a store and buy. Pure: a day's visitors
// depend only on its date, so a later run re-makes the same events (same ids,
// which /collect drops as replays) and adds the new day's. Sent by demo-seed.mjs.

export const SITE = 'demo';
const DAY_MS = 86_400_000;
const TZ_OFFSET_MS = 8 * 3_600_000; // the demo site's Asia/Shanghai: UTC+8 all year

/** The demo storefront's SKUs (examples/storefront/sku/*.html) and their prices in fen; the wardrobe's is per metre. */
export const SKUS = [
  { sku: 'SOFA-101', path: '/sku/sofa-101.html', price: 899_900 },
  { sku: 'BED-330', path: '/sku/bed-330.html', price: 1_560_000 },
  { sku: 'TABLE-205', path: '/sku/table-205.html', price: 1_280_000 },
  { sku: 'WARD-412', path: '/sku/wardrobe-412.html', price: 320_000, perMetre: true },
];

/** Channels with their share of visitors; promoters share `?pr=` links in WeChat (channel `promoter`). */
export const CHANNELS = [
  { channel: 'baidu_sem', w: 30, q: { ch: 'baidu_sem', utm_campaign: 'brand_kw' }, r: 'https://www.baidu.com/' },
  { channel: 'douyin_live', w: 22, q: { ch: 'douyin_live' } },
  { channel: 'xiaohongshu', w: 18, q: { ch: 'xiaohongshu' }, r: 'https://www.xiaohongshu.com/' },
  { channel: 'wechat', w: 14, q: { ch: 'wechat' } },
  { channel: 'promoter', w: 10, promoter: true },
  { channel: 'direct', w: 6 },
];

/**
 * Where visitors are, as Cloudflare's request.cf names it (the worker stores the
 * Chinese names: 上海/上海, 广东/深圳 …), the store they would visit (none for
 * cities without one: interest with no sales) and the SKU they favour.
 */
export const PLACES = [
  { cf: { country: 'CN', region: 'Shanghai', regionCode: 'SH', city: 'Shanghai' }, w: 6, store: 'sh-xuhui', likes: 'SOFA-101' },
  { cf: { country: 'CN', region: 'Zhejiang', regionCode: 'ZJ', city: 'Hangzhou' }, w: 3, store: 'sh-xuhui', likes: 'SOFA-101' },
  { cf: { country: 'CN', region: 'Jiangsu', regionCode: 'JS', city: 'Suzhou' }, w: 2, store: 'sh-xuhui', likes: 'TABLE-205' },
  { cf: { country: 'CN', region: 'Beijing', regionCode: 'BJ', city: 'Beijing' }, w: 5, store: 'bj-chaoyang', likes: 'TABLE-205' },
  { cf: { country: 'CN', region: 'Tianjin', regionCode: 'TJ', city: 'Tianjin' }, w: 1, store: 'bj-chaoyang', likes: 'BED-330' },
  { cf: { country: 'CN', region: 'Guangdong', regionCode: 'GD', city: 'Guangzhou' }, w: 4, store: 'gz-tianhe', likes: 'BED-330' },
  { cf: { country: 'CN', region: 'Guangdong', regionCode: 'GD', city: 'Shenzhen' }, w: 4, store: 'gz-tianhe', likes: 'WARD-412' },
  { cf: { country: 'CN', region: 'Guangdong', regionCode: 'GD', city: 'Foshan' }, w: 1, store: 'gz-tianhe', likes: 'SOFA-101' },
  { cf: { country: 'CN', region: 'Sichuan', regionCode: 'SC', city: 'Chengdu' }, w: 3, store: null, likes: 'WARD-412' },
  { cf: { country: 'CN', region: 'Hubei', regionCode: 'HB', city: 'Wuhan' }, w: 2, store: null, likes: 'BED-330' },
];

export const DEVICES = {
  mobile: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  desktop: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
};
const STYLES = ['北欧简约', '新中式', '轻奢', '原木日式'];
const RETURNS_FROM = 10; // a returning visitor is one of the first 10 of two days before (every day has more)

/** A small seeded generator (mulberry32 over an FNV-1a hash of the seed string). */
export function rng(seed) {
  let a = 2166136261;
  for (let i = 0; i < seed.length; i++) a = Math.imul(a ^ seed.charCodeAt(i), 16777619);
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = (xs) => xs[Math.floor(next() * xs.length)];
  const weighted = (xs) => {
    let x = next() * xs.reduce((s, o) => s + o.w, 0);
    return xs.find((o) => (x -= o.w) < 0) ?? xs[xs.length - 1];
  };
  return { next, int, pick, weighted, chance: (p) => next() < p };
}

/** The local day `ms` falls on, and the epoch ms of a local day's midnight. */
export const localDay = (ms) => new Date(ms + TZ_OFFSET_MS).toISOString().slice(0, 10);
const midnight = (day) => Date.parse(`${day}T00:00:00Z`) - TZ_OFFSET_MS;
const compact = (day) => day.replaceAll('-', '');

/** Who visitor `idx` of `day` is: where, which channel, which device. Returning visitors keep these from their first visit. */
function profile(day, idx) {
  const r = rng(`${day}:${idx}:who`);
  const place = r.weighted(PLACES);
  const ch = r.weighted(CHANNELS);
  const mobile = ch.channel !== 'direct' && r.chance(ch.channel === 'baidu_sem' ? 0.6 : 0.9);
  return { visitor: `dm${compact(day)}v${idx}`, place, ch, device: mobile ? 'mobile' : 'desktop', promoter: `P00${r.int(1, 6)}` };
}

/** One visit of one visitor on `day`: its events, and the appointment's plan if it books. */
function visit(day, idx, who, ch, warm) {
  const r = rng(`${day}:${idx}:visit`);
  const session = `s${compact(day)}v${idx}`;
  let ts = midnight(day) + r.int(9 * 60, 22 * 60) * 60_000 + r.int(0, 59_999);
  let n = 0;
  const events = [];
  const add = (e) => events.push({ i: `${session}-${n++}`, ts, v: who.visitor, ss: session, ...e });
  const landing = ch.promoter ? { q: { pr: who.promoter } } : { ...(ch.q ? { q: ch.q } : {}), ...(ch.r ? { r: ch.r } : {}) };
  const liked = SKUS.find((s) => s.sku === who.place.likes);
  const skus = [...new Set(Array.from({ length: r.int(1, 3) }, () => (r.chance(0.5) ? liked : r.pick(SKUS))))];
  if (r.chance(0.3)) add({ t: 'view', pv: `${session}-p0`, u: '/', ...landing });
  let consulted = false;
  skus.forEach((s, k) => {
    const pv = `${session}-p${k + 1}`;
    add({ t: 'view', pv, u: s.path, k: s.sku, ...(n === 0 ? landing : {}) });
    const dwell = r.int(4, 150) * 1000;
    ts += dwell;
    add({ t: 'dwell', pv, u: s.path, k: s.sku, d: dwell });
    if (r.chance(warm ? 0.45 : 0.22)) {
      consulted = true;
      add({ t: 'consult', pv, u: s.path, k: s.sku, c: r.pick(['chat', 'wechat', 'phone']), l: '在线咨询' });
    }
    ts += r.int(5, 60) * 1000;
  });
  const sku = skus[skus.length - 1];
  if (!(consulted && who.place.store && r.chance(warm ? 0.7 : 0.55))) return { events, plan: null };
  const pv = `${session}-pa`;
  add({ t: 'view', pv, u: '/appointment.html' });
  ts += r.int(30, 120) * 1000;
  const budget = Math.round((sku.price / 100) * (1 + r.next() * 0.5) / 1000) * 1000; // yuan, as the form takes it
  add({ t: 'appointment', pv, u: '/appointment.html', p: { store: who.place.store, budget, style: r.pick(STYLES), sku: sku.sku } });
  return { events, plan: { visitor: who.visitor, day, store: who.place.store, ...outcome(r, sku) } };
}

/** What becomes of a lead: most arrive, half of those buy (the SKU booked, sometimes one more); some are screened out. */
function outcome(r, sku) {
  if (!r.chance(0.65)) return { arrive: false, deal: null, status: r.chance(0.25) ? 'unqualified' : 'new' };
  if (!r.chance(0.55)) return { arrive: true, deal: null, status: 'qualified' };
  const line = (s) => {
    const qty = s.perMetre ? r.int(3, 6) : 1;
    return { sku: s.sku, qty, amount: Math.round((s.price * qty * (0.85 + r.next() * 0.15)) / 10_000) * 10_000 }; // rounded to ¥100
  };
  const items = [line(sku), ...(r.chance(0.3) ? [line(r.pick(SKUS.filter((s) => s !== sku)))] : [])];
  return { arrive: true, deal: { amount: items.reduce((a, it) => a + it.amount, 0), items }, status: 'qualified' };
}

/** A day's visits: new visitors (more at weekends) and a few who come back through another channel. */
export function demoDay(day) {
  const r = rng(`${day}:day`);
  const weekend = [0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay());
  const fresh = r.int(24, 34) + (weekend ? 12 : 0);
  const visits = [];
  for (let idx = 0; idx < fresh; idx++) {
    const who = profile(day, idx);
    visits.push({ day, who, channel: who.ch.channel, ...visit(day, idx, who, who.ch, false) });
  }
  const before = localDay(midnight(day) - 2 * DAY_MS);
  const returning = r.int(2, 4);
  for (let k = 0; k < returning; k++) {
    const who = profile(before, r.int(0, RETURNS_FROM - 1));
    if (visits.some((v) => v.who.visitor === who.visitor)) continue;
    const ch = r.pick(CHANNELS.filter((c) => c !== who.ch && c.channel !== 'direct'));
    visits.push({ day, who, channel: ch.channel, ...visit(day, fresh + k, who, ch, true) });
  }
  return visits;
}

/**
 * The last 7 local days up to `now`: every visit's events (only those before
 * `now`: the rest of today comes on a later run) and every appointment's plan.
 */
export function demoWeek(now) {
  const today = localDay(now);
  const days = Array.from({ length: 7 }, (_, k) => localDay(midnight(today) - (6 - k) * DAY_MS));
  const visits = days.flatMap((day) =>
    demoDay(day).map((v) => {
      const events = v.events.filter((e) => e.ts <= now - 1000);
      const booked = events.some((e) => e.t === 'appointment');
      return { ...v, events, plan: booked ? v.plan : null };
    }),
  ).filter((v) => v.events.length);
  return { days, visits };
}
