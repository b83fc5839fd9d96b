// What of the URL may leave the browser: the path (never the query), the
// referrer without its query, and only allow-listed query parameters (channel,
// promoter, UTM, ad click ids). Query strings can hold phone numbers. Lengths
// are the worker's to cut (LIMITS.pathLength, referrerLength, paramLength):
// the script tag's byte budget goes to what only the browser can do.
import { DEFAULT_PARAMS } from '../protocol/wire';

export interface ParamOptions {
  /** URL parameter that carries the channel code; sent as `ch`. Default `ch`. */
  channelParam?: string;
  /** URL parameter that carries the promoter (salesperson) code; sent as `pr`. Default `pr`. */
  promoterParam?: string;
  /** Ad click-id parameters to keep, replacing the default (bd_vid, qhclickid, clickid, gclid): an array or a comma-separated string. */
  clickIds?: readonly string[] | string;
}

/** The allow-listed parameters of `search`, the channel as `ch` and the promoter as `pr`; undefined when there are none (nothing is sent for nothing). */
export function landingParams(search: string, o: ParamOptions): Record<string, string> | undefined {
  const q = new URLSearchParams(search);
  let out: Record<string, string> | undefined;
  // An array's string form is its items joined by commas, so both spellings of clickIds split alike.
  [o.channelParam || 'ch', o.promoterParam || 'pr', ...(DEFAULT_PARAMS.utm + ',' + (o.clickIds || DEFAULT_PARAMS.clickIds)).split(',')].forEach((name, i) => {
    const v = q.get(name);
    if (v) (out = out || {})[['ch', 'pr'][i] || name] = v;
  });
  return out;
}

/** The page a view is of: the path, plus the hash when a hash router uses it (`#/…`, `#!/…`); never a query. */
// Drops a hash that is not a route (an in-page anchor), and a route's own query or a second fragment
// (`#/a#phone=…`): the worker's rule too (worker/validate/event.ts).
export const route = (): string => location.pathname + (location.hash.match(/^#!?\/[^?#]*/) || '');

/** A URL without its query or fragment (a referrer's can hold personal data too). */
export const stripUrl = (url: string): string => url.split(/[?#]/)[0];
