// A site's own channel rules: a referrer host, a channel-code prefix or an ad
// click-id parameter mapped to a channel (and optionally a source / medium).
// Stored as JSON on the site row, checked here when an admin sets them, applied
// by classify.ts; a click-id rule also lets /collect keep that parameter.
import { hostMatches } from './referrers';

export interface HostRule {
  host: string; // the referrer's host or a parent domain of it
  channel: string;
  source?: string;
  medium?: string;
}

export interface PrefixRule {
  prefix: string; // a channel code starting with it (ch=dy_spring → prefix "dy_")
  channel: string;
  source?: string;
  medium?: string;
}

export interface ClickIdRule {
  clickId: string; // a landing parameter an ad platform adds (gdt_vid for Tencent ads), as the script tag's data-click-ids names it
  channel: string;
  source?: string;
  medium?: string; // default cpc
}

export type ChannelRule = HostRule | PrefixRule | ClickIdRule;

export const MAX_RULES = 100;
const CHANNEL = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
const HOST = /^(?=.{1,253}$)[a-z0-9-]+(\.[a-z0-9-]+)*$/;
const WORD = /^[\p{L}\p{N}._() -]{1,64}$/u;
const PARAM = /^[A-Za-z0-9_]{1,40}$/;

/** The rules in `raw`, or the reason they are refused (for a 400). */
export function parseRules(raw: unknown): { ok: true; rules: ChannelRule[] } | { ok: false; message: string } {
  if (!Array.isArray(raw)) return { ok: false, message: '"channelRules" must be an array' };
  if (raw.length > MAX_RULES) return { ok: false, message: `"channelRules" holds at most ${MAX_RULES} rules` };
  const rules: ChannelRule[] = [];
  for (const [i, r] of raw.entries()) {
    const at = `channelRules[${i}]`;
    if (typeof r !== 'object' || r === null || Array.isArray(r)) return { ok: false, message: `${at} must be an object` };
    const { host, prefix, clickId, channel, source, medium } = r as Record<string, unknown>;
    if ([host, prefix, clickId].filter((k) => k !== undefined).length !== 1) {
      return { ok: false, message: `${at} needs exactly one of "host", "prefix" or "clickId"` };
    }
    if (typeof channel !== 'string' || !CHANNEL.test(channel)) {
      return { ok: false, message: `${at}.channel must be 1-64 lowercase letters, digits, "_", "." or "-"` };
    }
    for (const [k, v] of [['source', source], ['medium', medium]] as const) {
      if (v !== undefined && (typeof v !== 'string' || !WORD.test(v))) return { ok: false, message: `${at}.${k} must be 1-64 letters or digits` };
    }
    const extra = { ...(source ? { source: source as string } : {}), ...(medium ? { medium: medium as string } : {}) };
    if (host !== undefined) {
      if (typeof host !== 'string' || !HOST.test(host)) return { ok: false, message: `${at}.host must be a lowercase host name such as "partner.example.com"` };
      rules.push({ host, channel, ...extra });
    } else if (clickId !== undefined) {
      if (typeof clickId !== 'string' || !PARAM.test(clickId)) return { ok: false, message: `${at}.clickId must be a URL parameter name of 1-40 letters, digits or "_"` };
      rules.push({ clickId, channel, ...extra });
    } else {
      if (typeof prefix !== 'string' || prefix.length < 1 || prefix.length > 64) return { ok: false, message: `${at}.prefix must be 1-64 characters` };
      rules.push({ prefix: prefix.toLowerCase(), channel, ...extra });
    }
  }
  return { ok: true, rules };
}

/** The first prefix rule the (lowercased) channel code starts with. */
export function prefixRule(rules: readonly ChannelRule[], code: string): PrefixRule | null {
  for (const r of rules) if ('prefix' in r && code.startsWith(r.prefix)) return r;
  return null;
}

/** The click-id parameters the rules name: /collect keeps them beside the defaults. */
export function clickIdParams(rules: readonly ChannelRule[]): Set<string> {
  return new Set(rules.flatMap((r) => ('clickId' in r ? [r.clickId] : [])));
}

/** The first host rule the referrer host falls under. */
export function hostRule(rules: readonly ChannelRule[], host: string): HostRule | null {
  for (const r of rules) if ('host' in r && hostMatches(host, r.host)) return r;
  return null;
}

/** Rules read back from the site row: anything malformed (hand-edited SQL) is ignored, never thrown. */
export function storedRules(raw: unknown): ChannelRule[] {
  const p = parseRules(raw);
  return p.ok ? p.rules : [];
}
