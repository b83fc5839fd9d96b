// A simulated `wx`, built from WeChat's documented mini program API
// (developers.weixin.qq.com/miniprogram/dev/api/): wx.request answers
// asynchronously through success / fail / complete with a statusCode;
// wx.getStorageSync answers '' for a key never set and storage keeps a copy
// of each value (it serialises); getLaunchOptionsSync; makePhoneCall. The App
// and Page lifecycles are driven by the tests (app(), openPage()).
import { readFileSync } from 'node:fs';
import { runInThisContext } from 'node:vm';
import * as esm from 'o2o-tracker/miniprogram';
import { afterEach, beforeEach, expect, vi } from 'vitest';
import type { Batch, WireEvent } from '../../protocol/wire';
import { checkEvent } from '../../worker/validate/event';

export interface Request {
  url: string;
  method: string;
  header: Record<string, string>;
  batch: Batch;
}

type Answer = { statusCode: number; data: unknown } | 'fail' | 'throw' | ((b: Batch) => { statusCode: number; data: unknown });

export function simulatedWx() {
  const storage = new Map<string, string>();
  const w = {
    requests: [] as Request[],
    calls: [] as Record<string, unknown>[],
    answer: { statusCode: 202, data: { accepted: 1, duplicates: 0, rejected: [] } } as Answer,
    launch: { path: 'pages/index/index', scene: 1001, query: {} as Record<string, string> },
    storageThrows: false,
    storage,
    request(o: { url: string; method: string; data: string; header: Record<string, string>; success: (r: unknown) => void; fail: (e: unknown) => void; complete?: () => void }) {
      if (w.answer === 'throw') throw new Error('request broke');
      const batch = JSON.parse(o.data) as Batch;
      const a = typeof w.answer === 'function' ? w.answer(batch) : w.answer;
      if (a !== 'fail') w.requests.push({ url: o.url, method: o.method, header: o.header, batch });
      // Asynchronous, as on a phone.
      Promise.resolve().then(() => {
        if (a === 'fail') o.fail({ errMsg: 'request:fail timeout' });
        else o.success({ statusCode: a.statusCode, data: a.data, header: {} });
        o.complete?.();
      });
      return { abort() {} };
    },
    getStorageSync(key: string): unknown {
      if (w.storageThrows) throw new Error('getStorageSync:fail');
      const v = storage.get(key);
      return v === undefined ? '' : JSON.parse(v);
    },
    setStorageSync(key: string, value: unknown) {
      if (w.storageThrows) throw new Error('setStorageSync:fail exceed storage max size 10Mb');
      storage.set(key, JSON.stringify(value));
    },
    getLaunchOptionsSync: () => w.launch,
    makePhoneCall(o: Record<string, unknown>) {
      w.calls.push(o);
      (o.success as (() => void) | undefined)?.();
    },
  };
  return w;
}

export type SimulatedWx = ReturnType<typeof simulatedWx>;

/** Every event the simulated wx.request carried, in order; of one type when given. */
export const sentEvents = (w: SimulatedWx, t?: WireEvent['t']): WireEvent[] => w.requests.flatMap((r) => r.batch.e).filter((e) => !t || e.t === t);

/** Lets the requests' answers (promise callbacks) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

export type Build = typeof esm;
const cjs = (): Build => {
  const module = { exports: {} as Build };
  // As DevTools' module wrapper runs it: the file's code as a function of module and exports, among this context's globals (wx).
  runInThisContext(`(function (module, exports) {${readFileSync('dist/miniprogram/index.js', 'utf8')}\n})`)(module, module.exports);
  return module.exports;
};
/** Both builds: the ESM that bundlers import and the CommonJS copy WeChat DevTools' "build npm" takes. */
export const BUILDS = [['esm', () => esm], ['cjs (DevTools)', cjs]] as const;

/** The simulated wx of the running test (a live binding), fresh for each test with fake timers from T0. */
export let w: SimulatedWx;
export const T0 = Date.UTC(2026, 4, 1, 2, 0, 0);
export function useSimulatedWx(): void {
  beforeEach(() => {
    vi.useFakeTimers({ now: T0 });
    w = simulatedWx();
    vi.stubGlobal('wx', w);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });
}

type Hooks = Record<string, (this: unknown, ...a: unknown[]) => unknown>;

/** A build's tracker made for the site acme, pages and the app as WeChat drives them, and the events sent (each checked by the worker's validator). */
export function harness(mp: Build) {
  const make = (o: Partial<esm.MiniTrackerOptions> = {}) => mp.createTracker({ site: 'acme', endpoint: 'https://stats.acme.cn', ...o });
  type Tracker = ReturnType<typeof make>;
  /** A page as WeChat makes it (its `route`), loaded and shown. */
  const openPage = (t: Tracker, route: string, options: Record<string, string> = {}, own: Hooks = {}) => {
    const page = Object.assign({ route }, t.page(own)) as { route: string } & Hooks;
    page.onLoad.call(page, options);
    page.onShow.call(page);
    return page;
  };
  const appOf = (t: Tracker, own: Hooks = {}) => t.app(own) as Hooks;
  const valid = (t?: WireEvent['t']) => {
    const all = sentEvents(w, t);
    for (const e of all) expect(checkEvent(e)).toMatchObject({ ok: true });
    return all;
  };
  return { make, openPage, appOf, valid };
}
export type { Hooks };
