// What of the landing URL may leave the browser: only allow-listed query
// parameters (channel, promoter, UTM, ad click ids). Query strings can hold
// phone numbers; nothing else is read.
import { DEFAULT_PARAMS } from './protocol';

export const DEFAULT_ALLOW: readonly string[] = [
  DEFAULT_PARAMS.channel,
  DEFAULT_PARAMS.promoter,
  ...DEFAULT_PARAMS.utm,
  ...DEFAULT_PARAMS.clickIds,
];

/** Allow-listed parameters of `search`, renamed so the channel is always `ch` and the promoter `pr` on the wire. */
export function pickParams(search: string, allow: readonly string[], channelParam = 'ch', promoterParam = 'pr'): Record<string, string> | undefined {
  const q = new URLSearchParams(search);
  const out: Record<string, string> = {};
  let any = false;
  for (const name of allow) {
    const v = q.get(name);
    if (v) {
      out[name === channelParam ? 'ch' : name === promoterParam ? 'pr' : name] = v.slice(0, 256);
      any = true;
    }
  }
  return any ? out : undefined;
}

/** The landing facts a view carries: path (never the query), referrer and the allow-listed parameters. */
export function landing(
  loc: { pathname: string; search: string },
  referrer: string,
  allow: readonly string[],
  channelParam?: string,
): { u: string; r?: string; q?: Record<string, string> } {
  return { u: loc.pathname.slice(0, 512), r: referrer ? referrer.slice(0, 1024) : undefined, q: pickParams(loc.search, allow, channelParam) };
}
