// The mini program tracker: the web SDK's behaviours (sdk/tracker.ts) on
// WeChat's lifecycle instead of the DOM. A view per page show, the first after
// the app is shown carrying the launch scene and the launch's channel; engaged
// dwell as the page's visible time from onShow to onHide / onUnload (a mini
// program has no page-wide input events to count activity by); consults from
// bindtap and a wrapped wx.makePhoneCall; appointments answered with their lead
// code; batches through wx.request with the web SDK's offline queue. Only
// createTracker throws; nothing it returns throws into the mini program.
import { DROPPED_EVENT, LIMITS, type BrowserEventType, type CollectResult, type Props, type WireEvent } from '../../protocol/wire';
import { eventMaker, newId } from './event';
import { guard } from '../guard';
import { cut } from './event';
import { launchParams, type LandingOptions } from './landing';
import { queue } from './queue';
import { KEYS, wxStore } from './storage';
import { transport } from './transport';
import { wxApi, type LaunchOptions } from './wx';

export interface MiniTrackerOptions extends LandingOptions {
  /** Site key, as registered with the worker. */
  site: string;
  /** HTTPS origin (or full URL) of the worker, on the mini program's request legal domain list; `/collect` is appended unless the URL ends with it. */
  endpoint: string;
  /** Page option (query parameter) that carries a SKU page's SKU, e.g. `pages/sku/index?sku=SOFA-101`. Default `sku`. */
  skuParam?: string;
}

/** A page's query options, as Page.onLoad receives them. */
export type PageOptions = Record<string, string | undefined>;

export interface MiniTrackerCore {
  /** App.onLaunch / App.onShow: the launch's scene and channel ride with the next page view. */
  appShow(launch: LaunchOptions): void;
  /** App.onHide: the page's dwell and the queue go now. */
  appHide(): void;
  /**
   * Page.onShow: a view of `route` (`this.route`, e.g. `pages/sku/index`) with the page's options (onLoad's);
   * `sku`: the SKU this page instance had when last hidden (pageHide's answer). Answers the view's SKU.
   * The same page shown again after the app was in the background (a phone call, an image preview) is the
   * same view, its dwell going on, unless the app came back through a new launch.
   */
  pageShow(route: string, options?: PageOptions, sku?: string): string | undefined;
  /** Page.onHide / Page.onUnload: the page's dwell, then the queue goes; answers the page's SKU (a SKU given by sku() ends with the page's show). */
  pageHide(): string | undefined;
  /** Sets the SKU of the page being opened or shown when its options do not carry it; call it in onLoad or onShow (o2o.page keeps it for the page's later shows), e.g. `o2o.sku('SOFA-101')`. */
  sku(sku: string): void;
  /** Records a consult of `kind` (chat, phone, wechat, …) with a label, e.g. `o2o.consult('wechat', '加顾问微信')`. */
  consult(kind: string, label?: string): void;
  /** A bindtap handler: a consult of the tapped element's `data-o2o-consult` kind (default chat), labelled by its `data-o2o-label`. */
  tap(e: { currentTarget?: { dataset?: Record<string, unknown> } }): void;
  /**
   * wx.makePhoneCall that records a phone consult first (labelled by `label`, never the number).
   * @example o2o.makePhoneCall({ phoneNumber: '4008001234', label: '门店电话' })
   */
  makePhoneCall(o: { phoneNumber: string; label?: string; success?: () => void; fail?: (err: unknown) => void }): void;
  /** Stops all tracking on this phone for good (kept in storage as o2o_off). */
  optout(): void;
  /** Sends what is queued now (it also leaves at 10 events, 2 s after the first, and when a page or the app is hidden). */
  flush(): void;
  /** A custom event, e.g. `o2o.track('coupon', { value: 500 })`: scalar props, trimmed by the worker. */
  track(event: string, props?: Props): void;
  /**
   * An appointment (预约), posted at once together with the queued events, since the worker answers
   * its lead code in the same request: the promise gives that code to show the customer, or undefined
   * if the post failed (the appointment then waits in the offline queue). It never rejects.
   * @example o2o.appointment({ store: 'sh-xuhui', budget: 12000 }).then((code) => code && this.setData({ code }))
   */
  appointment(details: Props): Promise<string | undefined>;
}

// As the web SDK: a batch leaves at this many events or this long after its first.
const FLUSH_AT = 10;
const FLUSH_MS = 2000;

/** The tracker's capture and delivery; the lifecycle wrappers (lifecycle.ts) call its hooks. */
export function createCore(opts: MiniTrackerOptions): MiniTrackerCore {
  const wx = wxApi();
  if (!wx || typeof wx.request != 'function') throw Error('o2o createTracker: no wx.request: this build runs in a WeChat mini program');
  if (!opts || !opts.site || !opts.endpoint) throw Error('o2o createTracker: site and endpoint are required');
  if (!/^https?:\/\/[^/]+/.test(opts.endpoint)) throw Error(`o2o createTracker: endpoint "${opts.endpoint}" must be an https:// URL on the mini program's request legal domain list`);
  const store = wxStore(wx);
  const q = queue(store);
  const post = transport(wx, opts.endpoint.replace(/(\/collect)?\/?$/, '/collect'), opts.site, q);
  const make = eventMaker(store);
  const skuParam = opts.skuParam || 'sku';

  let off: unknown = store(KEYS.optout);
  const pending: WireEvent[] = [];
  let timer: ReturnType<typeof setTimeout> | 0 = 0;
  // The launch the next view lands from (its scene and parameters), until a view takes it.
  let landing: Pick<WireEvent, 'sc' | 'q'> | undefined;
  // The page on show: its view id, path, SKU (from its options, or given by sku()) and since when it is visible.
  let pv: string | undefined;
  let path: string | undefined;
  let pageSku: string | undefined;
  let given: string | undefined;
  let shownAt = 0;
  // The app went to the background since the page on show was shown.
  let away = false;

  const ev = (t: BrowserEventType, extra: Partial<WireEvent>) => make({ t, pv, u: path, k: given || pageSku, ...extra });
  const flush = () => {
    clearTimeout(timer as number);
    timer = 0;
    if (pending.length) post(pending.splice(0));
  };
  const push = (t: BrowserEventType, extra: Partial<WireEvent>) => {
    if (off) return;
    pending.push(ev(t, extra));
    if (pending.length >= FLUSH_AT) flush();
    else timer = timer || setTimeout(guard(flush), FLUSH_MS);
  };
  const dwell = () => {
    const d = shownAt && Math.min(Date.now() - shownAt, LIMITS.maxDwellMs);
    shownAt = 0;
    if (pv && d > 0) push('dwell', { d });
  };
  // One replay at a time: the launch, App.onLaunch and App.onShow all ask for one at a cold start.
  let replaying = false;
  const replay = () =>
    off || replaying || q.replay((n) => ev('track', { n: DROPPED_EVENT, p: { n } }), (e, n) => ((replaying = true), post(e, n).then(() => (replaying = false))));
  // Props bounded here as the worker would bound them (the script tag leaves it to the worker for its bytes;
  // this bundle has none to save): one event can then never outgrow a request alone.
  const plain = (p?: Props): Props | undefined => {
    if (!p || typeof p != 'object') return undefined;
    const out: Props = {};
    for (const [k, v] of Object.entries(JSON.parse(JSON.stringify(p)) as Record<string, unknown>).slice(0, LIMITS.maxProps)) {
      if (v !== null) out[cut(k, LIMITS.propKeyLength)] = typeof v == 'number' || typeof v == 'boolean' ? v : cut(typeof v == 'object' ? JSON.stringify(v) : v, LIMITS.propValueLength);
    }
    return out;
  };

  // Before any App hook runs (or when the brand wraps only its pages): the cold start's own launch.
  const launch = wx.getLaunchOptionsSync && guard(wx.getLaunchOptionsSync)();
  // App.onShow repeats the launch's options on a return from the background: the same options
  // are no new landing, and a new scene (1089, reopened from the recent list) with the same
  // parameters is a landing of that scene alone, never the ad click or code again.
  let seen = '';
  let seenScene = 0;
  const land = (l: LaunchOptions | undefined) => {
    if (!l || !l.scene) return;
    const q = launchParams(l, opts);
    const key = JSON.stringify(q || {});
    if (key === seen && l.scene === seenScene) return;
    landing = { sc: l.scene, q: key === seen ? undefined : q };
    seen = key;
    seenScene = l.scene;
  };
  guard(land)(launch);
  guard(q.recover)();
  guard(replay)();

  const core: MiniTrackerCore = {
    appShow(l) {
      land(l);
      replay();
    },
    appHide() {
      dwell();
      flush();
      away = true;
    },
    pageShow(route, options = {}, sku) {
      if (shownAt) dwell(); // a show without a hide before it
      const p = '/' + String(route).replace(/^\//, '');
      const s = options && options[skuParam];
      pageSku = given || (s ? cut(s, LIMITS.skuLength) : sku);
      given = undefined;
      shownAt = Date.now();
      const back = away && p === path && pv && !landing;
      away = false;
      if (back) return pageSku;
      pv = newId();
      path = p;
      push('view', { ...landing });
      landing = undefined;
      return pageSku;
    },
    pageHide() {
      dwell();
      const had = given || pageSku;
      given = undefined; // WeChat hides (or unloads) a page before it loads and shows the next
      flush();
      return had;
    },
    sku(s) {
      given = s ? cut(s, LIMITS.skuLength) : undefined;
    },
    consult(kind, label) {
      push('consult', { c: cut(kind || 'chat', LIMITS.nameLength), l: cut(label || '', LIMITS.labelLength) });
    },
    tap(e) {
      const d = (e && e.currentTarget && e.currentTarget.dataset) || {};
      core.consult(String(d.o2oConsult || 'chat'), String(d.o2oLabel || ''));
    },
    makePhoneCall() {
      // Replaced below: the call must reach WeChat even when recording fails.
    },
    track(name, props) {
      if (name) push('track', { n: cut(name, LIMITS.nameLength), p: plain(props) });
    },
    appointment(props) {
      if (off) return Promise.resolve(undefined);
      const e = ev('appointment', { p: plain(props), k: props && props.sku ? cut(props.sku, LIMITS.skuLength) : given || pageSku });
      clearTimeout(timer as number);
      timer = 0;
      return post(pending.splice(0).concat(e)).then((r) => (r as Partial<CollectResult> | undefined)?.leads?.[e.i]);
    },
    optout() {
      pending.splice(0);
      q.clear(); // first: when storage is full, the room it frees lets the opt-out itself be kept
      off = store(KEYS.optout, 1);
    },
    flush,
  };
  // Every method guarded: nothing throws into the mini program after createTracker.
  for (const k of Object.keys(core) as (keyof MiniTrackerCore)[]) (core as unknown as Record<string, unknown>)[k] = guard(core[k] as (...a: unknown[]) => unknown);
  const appt = core.appointment;
  core.appointment = (props) => appt(props) || Promise.resolve(undefined);
  const consult = core.consult;
  core.makePhoneCall = (o) => {
    consult('phone', o && o.label);
    core.flush(); // the call takes the visitor out of WeChat
    const { label: _label, ...call } = o || ({} as { phoneNumber: string });
    return wx.makePhoneCall(call);
  };
  return core;
}
