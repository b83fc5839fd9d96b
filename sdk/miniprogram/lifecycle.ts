// One call each for App and Page: `o2o.app({...})` and `o2o.page({...})` return
// the options with the tracker's hooks run before the mini program's own
// (App: onLaunch, onShow, onHide; Page: onLoad, onShow, onHide, onUnload). The
// mini program's own hooks run as they were, with their `this`, arguments and
// return value; the tracker's part is guarded and never throws into them.
import type { MiniTrackerCore, PageOptions } from './tracker';
import type { LaunchOptions } from './wx';

type Hook = (this: unknown, ...a: unknown[]) => unknown;
type Hooks = Record<string, unknown>;

/** `options` with `name` running `before` (guarded by the core) and then the original. */
function around<T extends Hooks>(options: T, name: string, before: (self: unknown, a: unknown[]) => void): void {
  const own = options[name] as Hook | undefined;
  (options as Hooks)[name] = function (this: unknown, ...a: unknown[]) {
    before(this, a);
    return own && own.apply(this, a);
  };
}

/** App options with the launch, show and hide hooks tracked. */
export function wrapApp<T extends object>(core: MiniTrackerCore, options: T): T {
  const o = { ...options } as T & Hooks;
  around(o, 'onLaunch', (_, a) => core.appShow(a[0] as LaunchOptions));
  around(o, 'onShow', (_, a) => core.appShow(a[0] as LaunchOptions));
  around(o, 'onHide', () => core.appHide());
  return o;
}

/** Page options with a view on each show and the dwell on hide and unload; the SKU from the page's options. */
export function wrapPage<T extends object>(core: MiniTrackerCore, options: T): T {
  const o = { ...options } as T & Hooks;
  // onLoad's options are the page's query; kept per page instance for its later shows.
  const loaded = new WeakMap<object, PageOptions>();
  around(o, 'onLoad', (self, a) => self && typeof self == 'object' && loaded.set(self, (a[0] as PageOptions) || {}));
  around(o, 'onShow', (self) => {
    const page = (self && typeof self == 'object' ? self : {}) as { route?: string; options?: PageOptions };
    core.pageShow(page.route || '', loaded.get(page) || page.options || {});
  });
  around(o, 'onHide', () => core.pageHide());
  around(o, 'onUnload', () => core.pageHide());
  return o;
}
