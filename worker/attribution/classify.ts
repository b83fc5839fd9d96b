// Which channel a landing (a view event) comes from. In order: an explicit
// channel code (ch) > UTM > ad click ids > the referrer (site rules, the China
// table, the npm dataset) > an in-app browser > direct. Each landing also gets
// a GA-style source / medium; the channel is the code when there is one, else
// derived from them. Strong signals (code, UTM, click id, promoter) always make
// a touch; weak ones (referrer, in-app) only on the first view of a session.
// A WeChat mini program's landing (a view carrying its launch scene, `sc`) is
// source wechat_miniprogram with the scene number as its medium; its other views
// are navigation inside the app (docs/miniprogram.md).
import { DEFAULT_PARAMS, LIMITS, type WireEvent } from '../../protocol/wire';
import { directTouch, type Landing, type Strength } from './model';
import { CLICK_IDS, IN_APP, type SourceMedium } from './china';
import { referrerSource, referrerUrl, slug } from './referrers';
import { hostRule, prefixRule, type ChannelRule, type ClickIdRule } from './rules';

export const NOT_SET = '(not set)';

export interface LandingContext {
  rules: readonly ChannelRule[];
  ownHosts: ReadonlySet<string>; // the site's own hosts: a referrer from them is internal navigation
  userAgent: string;
}

// Control characters go: a NUL in a channel code would split the keys the credit
// rollups join their fields with (rollups/credit.ts), and none belongs in a name.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const clean = (s: string | undefined): string | null => {
  const t = s?.replace(CONTROL, '').trim();
  return t ? t : null;
};

/** The in-app browser a user agent belongs to, if any. */
export function inAppSource(ua: string): SourceMedium | null {
  for (const [re, sm] of IN_APP) if (re.test(ua)) return sm;
  return null;
}

/** Channel name derived from a source / medium pair: baidu_organic, wechat_app, newsletter_email. */
export function deriveChannel(source: string, medium: string): string {
  return medium === NOT_SET ? source : `${source}_${medium}`;
}

type Found = SourceMedium & { channel?: string; strength: Strength };

/** What the landing says below the channel-code tier. */
function sourceMedium(e: WireEvent, q: Record<string, string>, ctx: LandingContext): Found | null {
  const utmSource = clean(q.utm_source);
  if (utmSource) {
    const medium = clean(q.utm_medium);
    return { source: slug(utmSource) || NOT_SET, medium: medium ? slug(medium) || NOT_SET : NOT_SET, strength: 'strong' };
  }
  const ref = referrerUrl(e.r);
  const internal = !!ref && ownHost(ctx.ownHosts, ref.hostname);
  const external = ref && !internal ? ref : null;
  const app = ref ? null : inAppSource(ctx.userAgent);
  // The site's own click ids first: a brand names its ad platforms' parameters (and may rename a default's channel).
  const own = ctx.rules.find((r): r is ClickIdRule => 'clickId' in r && !!clean(q[r.clickId]));
  if (own) return { source: own.source ?? own.clickId, medium: own.medium ?? 'cpc', channel: own.channel, strength: 'strong' };
  for (const [param, paid] of CLICK_IDS) {
    if (!clean(q[param])) continue;
    // Ocean Engine serves Douyin, Toutiao and a network: name the app when the landing shows it.
    if (paid.source === 'oceanengine') {
      const via = external ? referrerSource(external).source : app?.source;
      if (via === 'douyin' || via === 'toutiao') return { source: via, medium: 'cpc', strength: 'strong' };
    }
    return { ...paid, strength: 'strong' };
  }
  if (external) {
    const rule = hostRule(ctx.rules, external.hostname);
    if (rule) {
      return { source: rule.source ?? external.hostname, medium: rule.medium ?? 'referral', channel: rule.channel, strength: 'weak' };
    }
    const r = referrerSource(external);
    return { source: r.source, medium: r.medium, channel: r.named ? undefined : 'referral', strength: 'weak' };
  }
  if (app) return { ...app, strength: 'weak' };
  return null;
}

function ownHost(own: ReadonlySet<string>, host: string): boolean {
  return own.has(host) || own.has(host.replace(/^www\./, '')) || own.has(`www.${host}`);
}

/** The source of a mini program's landings, and their channel when nothing else names one. */
export const MINIPROGRAM = 'wechat_miniprogram';
/** The host of a mini program's fixed Referer (https://servicewechat.com/<appid>/<version>/page-frame.html). */
export const MINIPROGRAM_HOST = 'servicewechat.com';

/**
 * A mini program's landing: the channel is the code (from the launch query or the
 * decoded scene), else UTM, a click id or a promoter as on the web, else
 * wechat_miniprogram, in-app (weak) when nothing else says. Source and medium stay
 * wechat_miniprogram and the scene, so the scene survives as a dimension.
 */
function miniProgramLanding(e: WireEvent, q: Record<string, string>, ctx: LandingContext, code: string | null): Landing {
  const scene = { source: MINIPROGRAM, medium: String(e.sc), campaign: clean(q.utm_campaign), promoter: clean(q[DEFAULT_PARAMS.promoter]) };
  if (code) return { touch: { channel: prefixRule(ctx.rules, code)?.channel ?? code, ...scene }, strength: 'strong' };
  // UTM or a click id names the channel as it would on a web page; no referrer or browser to read here.
  const found = sourceMedium({ ...e, r: undefined }, q, { ...ctx, userAgent: '' });
  if (found) return { touch: { channel: found.channel ?? deriveChannel(found.source, found.medium), ...scene }, strength: 'strong' };
  if (scene.promoter) return { touch: { channel: 'promoter', ...scene }, strength: 'strong' };
  return { touch: { channel: MINIPROGRAM, ...scene }, strength: 'weak' };
}

/**
 * The touch a landing makes, and how strongly it claims to be one. Only a request
 * from the mini program itself (its servicewechat.com Referer, one of the request's
 * page hosts) lands in it: a web page or a server that sends a launch scene, or
 * utm_source=wechat_miniprogram, is a web landing, its source renamed
 * wechat_miniprogram_h5, so the scenes report's cohort holds the app's visitors only.
 */
export function classifyLanding(e: WireEvent, ctx: LandingContext): Landing {
  const app = ctx.ownHosts.has(MINIPROGRAM_HOST);
  const q = e.q ?? {};
  // Lowercasing can lengthen a string (İ → i̇): cut again to the parameter limit.
  const code = clean(q[DEFAULT_PARAMS.channel])?.toLowerCase().slice(0, LIMITS.paramLength) ?? null;
  if (e.sc && app) return miniProgramLanding(e, q, ctx, code);
  // The mini program's other views: navigation inside the app, never a landing, whatever its user agent says.
  if (app && !e.q) return { touch: directTouch(), strength: 'none' };
  const web = webLanding(e, q, ctx, code);
  if (web.touch.source === MINIPROGRAM) web.touch.source = MINIPROGRAM + '_h5';
  return web;
}

function webLanding(e: WireEvent, q: Record<string, string>, ctx: LandingContext, code: string | null): Landing {
  const promoter = clean(q[DEFAULT_PARAMS.promoter]);
  const campaign = clean(q.utm_campaign);
  const found = sourceMedium(e, q, ctx);
  if (code) {
    const rule = prefixRule(ctx.rules, code);
    return {
      touch: {
        channel: rule?.channel ?? code,
        source: rule?.source ?? found?.source ?? code,
        medium: rule?.medium ?? found?.medium ?? NOT_SET,
        campaign, promoter,
      },
      strength: 'strong',
    };
  }
  // A promoter's own link (no code, UTM or click id) is channel `promoter` wherever it
  // is opened: a referrer or an in-app browser (WeChat, where promoters share links)
  // only says where the link was read, and stays as its source.
  if (promoter && found?.strength !== 'strong') {
    return { touch: { channel: 'promoter', source: found?.source ?? 'promoter', medium: found?.medium ?? NOT_SET, campaign, promoter }, strength: 'strong' };
  }
  if (found) {
    const touch = { channel: found.channel ?? deriveChannel(found.source, found.medium), source: found.source, medium: found.medium, campaign, promoter };
    return { touch, strength: promoter ? 'strong' : found.strength };
  }
  return { touch: directTouch(campaign), strength: 'none' };
}
