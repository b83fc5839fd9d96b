// Which channel a landing (a view event) comes from. In order: an explicit
// channel code (ch) > UTM > ad click ids > the referrer (site rules, the China
// table, the npm dataset) > an in-app browser > direct. Each landing also gets
// a GA-style source / medium; the channel is the code when there is one, else
// derived from them. Strong signals (code, UTM, click id, promoter) always make
// a touch; weak ones (referrer, in-app) only on the first view of a session.
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

const clean = (s: string | undefined): string | null => {
  const t = s?.trim();
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

/** The touch a landing makes, and how strongly it claims to be one. */
export function classifyLanding(e: WireEvent, ctx: LandingContext): Landing {
  const q = e.q ?? {};
  // Lowercasing can lengthen a string (İ → i̇): cut again to the parameter limit.
  const code = clean(q[DEFAULT_PARAMS.channel])?.toLowerCase().slice(0, LIMITS.paramLength) ?? null;
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
