// A site's display names for its channel codes (douyin_live → 抖音直播), kept
// as a JSON object in sites.channel_names (migration 0011): how a PATCH merges
// into them, how they are stored, and the names a report over a group of sites
// reads. The admin API's schema (protocol/admin.ts) checked every code and name.
import { MAX_CHANNEL_NAMES } from '../../protocol/admin';
import { badRequest } from '../errors';

const byCode = ([a]: [string, unknown], [b]: [string, unknown]) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A stored object as a null-prototype record, codes in order (the answer reads
 * the same however they were set): a channel code anyone can send
 * (`?ch=constructor`) must never find an inherited property.
 */
export function parseNames(json: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  const raw = JSON.parse(json) as unknown;
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    for (const [k, v] of Object.entries(raw).sort(byCode)) if (typeof v === 'string') out[k] = v;
  }
  return out;
}

/** The stored form, codes in order. */
export function namesJson(names: Record<string, string>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(names).sort(byCode)));
}

/**
 * `patch` merged into `current`: a name sets its code, null deletes it, codes
 * left out keep theirs. A site keeps at most MAX_CHANNEL_NAMES (400 past it).
 */
export function mergeNames(current: Record<string, string>, patch: Record<string, string | null>): Record<string, string> {
  const out: Record<string, string> = Object.assign(Object.create(null), current);
  for (const [code, name] of Object.entries(patch)) {
    if (name === null) delete out[code];
    else out[code] = name;
  }
  const n = Object.keys(out).length;
  if (n > MAX_CHANNEL_NAMES) {
    throw badRequest('invalid_field', `"channelNames" would leave the site ${n} names: a site keeps at most ${MAX_CHANNEL_NAMES} (a null name deletes one)`);
  }
  return out;
}

/**
 * The names of a group of sites read as one report: where two sites name one
 * code differently, the first site in `sites` (the order the request gave) wins.
 */
export async function channelNamesOf(db: D1Database, sites: string[]): Promise<Map<string, string>> {
  const { results } = await db
    .prepare('SELECT site_key, channel_names FROM sites WHERE site_key IN (SELECT value FROM json_each(?1))')
    .bind(JSON.stringify(sites))
    .all<{ site_key: string; channel_names: string }>();
  const bySite = new Map(results.map((r) => [r.site_key, parseNames(r.channel_names)]));
  const out = new Map<string, string>();
  for (const s of sites) for (const [code, name] of Object.entries(bySite.get(s) ?? {})) if (!out.has(code)) out.set(code, name);
  return out;
}
