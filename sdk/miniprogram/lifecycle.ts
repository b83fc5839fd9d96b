// One call each for App and Page: `o2o.app({...})` and `o2o.page({...})` return
// the options with the tracker's hooks around the mini program's own (App:
// onLaunch, onShow, onHide; Page: onLoad, onShow, onHide, onUnload). The mini
// program's own hooks run as they were, with their `this`, arguments and return
// value; the tracker's part is guarded and never throws into them.
import type { MiniTrackerCore, PageOptions } from './tracker';
import type { LaunchOptions } from './wx';

type Hook = (this: unknown, ...a: unknown[]) => unknown;
type Hooks = Record<string, unknown>;
type Tracked = (self: unknown, a: unknown[]) => void;

// Options already wrapped: wrapping them again would count every view twice.
const WRAPPED = '__o2o';

/** `options` with `name` running `before` (guarded by the core), then the original, then `after`, even when the original throws. */
function around(options: Hooks, name: string, before?: Tracked, after?: Tracked): void {
  const own = options[name] as Hook | undefined;
  options[name] = function (this: unknown, ...a: unknown[]) {
    if (before) before(this, a);
    try {
      return own && own.apply(this, a);
    } finally {
      if (after) after(this, a);
    }
  };
}

const marked = <T extends object>(o: T): T => (Object.defineProperty(o, WRAPPED, { value: 1 }), o);

/** App options with the launch, show and hide hooks tracked. */
export function wrapApp<T extends object>(core: MiniTrackerCore, options: T): T {
  if ((options as Hooks)[WRAPPED]) return options;
  const o = { ...options } as T & Hooks;
  around(o, 'onLaunch', (_, a) => core.appShow(a[0] as LaunchOptions));
  around(o, 'onShow', (_, a) => core.appShow(a[0] as LaunchOptions));
  around(o, 'onHide', () => core.appHide());
  return marked(o);
}

/**
 * Page options with a view on each show and the dwell on hide and unload; the SKU
 * from the page's options, or given by o2o.sku() in the page's onLoad or onShow:
 * the view is made after the page's own onShow, and a page instance keeps its SKU
 * for its later shows (back from the next page, from the background). A page built
 * with Component() has its page hooks in `methods`: they are wrapped there.
 */
export function wrapPage<T extends object>(core: MiniTrackerCore, options: T): T {
  if ((options as Hooks)[WRAPPED]) return options;
  const o = { ...options } as T & Hooks;
  const methods = o.methods && typeof o.methods == 'object' ? ((o as Hooks).methods = { ...(o.methods as Hooks) }) : null;
  // onLoad's options are the page's query; kept per page instance for its later shows, with its SKU.
  const loaded = new WeakMap<object, PageOptions>();
  const skus = new WeakMap<object, string | undefined>();
  const instance = (self: unknown) => (self && typeof self == 'object' ? self : {}) as { route?: string; is?: string; options?: PageOptions };
  for (const hooks of methods ? [o, methods] : [o]) {
    around(hooks, 'onLoad', (self, a) => self && typeof self == 'object' && loaded.set(self, (a[0] as PageOptions) || {}));
    around(hooks, 'onShow', undefined, (self) => {
      const page = instance(self);
      skus.set(page, core.pageShow(page.route || page.is || '', loaded.get(page) || page.options || {}, skus.get(page)));
    });
    around(hooks, 'onHide', (self) => skus.set(instance(self), core.pageHide()));
    around(hooks, 'onUnload', () => core.pageHide());
  }
  return marked(o);
}
