// What a launch says about where the visitor came from: the allow-listed launch
// query parameters (the channel as `ch`, the promoter as `pr`, UTM, ad click ids,
// as the web SDK keeps them off a URL: sdk/channel.ts) and the channel and
// promoter inside a mini program code's `scene`. The launch query is already an
// object: no URL to parse. The worker cuts the values to its limits.
import { DEFAULT_PARAMS } from '../../protocol/wire';
import { decodeScene } from './scene';
import type { LaunchOptions } from './wx';

export interface LandingOptions {
  /** Launch query parameter that carries the channel code; sent as `ch`. Default `ch`. */
  channelParam?: string;
  /** Launch query parameter that carries the promoter code; sent as `pr`. Default `pr`. */
  promoterParam?: string;
  /** Ad click-id parameters to keep, replacing the default (bd_vid, qhclickid, clickid, gdt_vid, qz_gdt, gclid): an array or a comma-separated string. */
  clickIds?: readonly string[] | string;
  /** Read the channel and promoter from a mini program code's `scene` (`ch~pr`, see encodeScene). Default true; false when the brand's scenes carry something else. */
  sceneCodes?: boolean;
}

/** The parameters a launch sends with its first view; undefined when there are none. A query's own `ch` / `pr` win over the scene's. */
export function launchParams(launch: LaunchOptions, o: LandingOptions): Record<string, string> | undefined {
  const query = launch.query || {};
  const fromScene = o.sceneCodes === false ? {} : decodeScene(query.scene);
  const out: Record<string, string> = {};
  const names = [o.channelParam || 'ch', o.promoterParam || 'pr', ...(DEFAULT_PARAMS.utm + ',' + (o.clickIds || DEFAULT_PARAMS.clickIds)).split(',')];
  names.forEach((name, i) => {
    const key = i > 1 ? name : i ? 'pr' : 'ch';
    const v = query[name] || (i < 2 ? fromScene[key as 'ch' | 'pr'] : undefined);
    if (typeof v == 'string' && v) out[key] = v;
  });
  return Object.keys(out).length ? out : undefined;
}
