// The WeChat mini program entry: `o2o-tracker/miniprogram` (ESM and CommonJS;
// WeChat DevTools' "build npm" takes the CommonJS copy, see package.json
// `miniprogram`). Touches no mini program global until createTracker() runs.
import { wrapApp, wrapPage } from './lifecycle';
import { createCore, type MiniTrackerCore, type MiniTrackerOptions } from './tracker';

export interface MiniTracker extends MiniTrackerCore {
  /**
   * App options with the tracker's hooks: `App(o2o.app({ onLaunch() {…}, onShow() {…} }))`.
   * Without it the cold start's launch still counts (wx.getLaunchOptionsSync), but not a return from the background.
   */
  app<T extends object>(options: T): T;
  /** Page options with a view per show and the dwell on hide and unload: `Page(o2o.page({ data: {…}, onLoad() {…} }))`. */
  page<T extends object>(options: T): T;
}

/**
 * Creates the mini program's tracker. Throws only here, on bad options or outside a mini program.
 * @example
 * // app.js
 * const o2o = createTracker({ site: 'acme', endpoint: 'https://stats.acme.cn' });
 * App(o2o.app({ onLaunch() {} }));
 * // pages/sku/index.js
 * Page(o2o.page({ onLoad(options) {} }));
 */
export function createTracker(opts: MiniTrackerOptions): MiniTracker {
  const core = createCore(opts);
  return { ...core, app: (o) => wrapApp(core, o), page: (o) => wrapPage(core, o) };
}

export { encodeScene, decodeScene, SCENE_MAX } from './scene';
export type { MiniTrackerOptions, PageOptions } from './tracker';
export type { LaunchOptions } from './wx';
export { DROPPED_EVENT, LIMITS } from '../../protocol/wire';
export type { CollectResult, Props, WireEvent } from '../../protocol/wire';
