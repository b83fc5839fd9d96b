// The tracker: wires capture (views, SPA routes, engaged dwell, consult clicks,
// appointment forms, custom events) to delivery (batching, beacon, retry queue).
// Shared by the script tag and the npm import; touches no browser global until
// createTracker is called, and nothing it installs throws into the page.
import { formProps, showLead } from './appointment';
import { SCRIPT_TAG } from './build';
import { landingParams, route, stripUrl, type ParamOptions } from './channel';
import { chatLoader } from './chat-loader';
import { CONSULT_SELECTOR, consultOf } from './consult';
import { ACTIVITY } from './dwell';
import { newEvent } from './event';
import { guard } from './guard';
import { newId } from './id';
import { DROPPED_EVENT, DWELL_IDLE_MS, type BrowserEventType, type CollectResult, type Props, type WireEvent } from '../protocol/wire';
import { clear, replay } from './retry';
import { onNavigate } from './spa';
import { KEYS, store } from './storage';
import { transport } from './transport';

export interface TrackerOptions extends ParamOptions {
  /** Site key, as registered with the worker. */
  site: string;
  /** Origin (or full URL) of the worker; `/collect` is appended unless the URL ends with it. */
  endpoint: string;
  /** Extra CSS selectors whose clicks are consults, e.g. a third-party chat button: `'#udesk-btn,.kf5-btn'`. Kind: its data-o2o-consult, else `chat`. */
  consult?: string;
  /** Send nothing when the browser signals Global Privacy Control or Do Not Track. Default false (script tag: the `data-respect-dnt` attribute). */
  respectDnt?: boolean;
}

export interface Tracker {
  /** Records a page view of the current location. Call once after createTracker; SPA route changes are then followed on their own. */
  view(): void;
  /** Sets the SKU of the current page (single-page sites; call it after each navigation), e.g. `t.sku('SOFA-101')`. Events sent from now on carry it. */
  sku(sku: string): void;
  /** Records a custom event with scalar props, e.g. `t.track('coupon', { value: 500 })`. Props are sent as given; the worker keeps the first LIMITS.maxProps and cuts long keys and values. */
  track(name: string, props?: Props): void;
  /**
   * Records an appointment and sends it at once, with fetch (its answer carries the lead code).
   * Resolves the lead code the worker made (the customer shows it at the store), or undefined
   * when it could not be sent now: it is then queued and retried, and no code is shown. Never rejects.
   * `budget` is a number of yuan as the customer typed it (the worker converts it to minor units).
   * @example const code = await t.appointment({ store: 'sh-xuhui', budget: 12000, style: '北欧简约', sku: 'SOFA-101' });
   */
  appointment(props: Props): Promise<string | undefined>;
  /**
   * Opens the consult chat (loads chat.js from the endpoint on the first call); a click on a
   * `[data-o2o-consult="chat"]` element does the same, and is recorded as a consult as before.
   * @example t.chat()
   */
  chat(): void;
  /** Stops all tracking in this browser for good (kept in localStorage as o2o_off; removing it opts back in). */
  optout(): void;
  /** Sends what is queued now (it also leaves at a size or time threshold and whenever the page is hidden). npm build only. */
  flush(): void;
  /** Sends what is pending, then goes quiet: every listener and method of this tracker does nothing. npm build only. */
  stop(): void;
}

// A batch leaves at this many events, this long after its first one, or when the page is hidden.
const FLUSH_AT = 10;
const FLUSH_MS = 2000;

/**
 * Creates a tracker and starts capture. Throws only here, on bad options; nothing it returns throws.
 * @example
 * const t = createTracker({ site: 'acme', endpoint: 'https://stats.acme.cn' });
 * t.view();
 */
export function createTracker(opts: TrackerOptions): Tracker {
  // Without a `consult` option, the marked elements' part twice: still valid, and fewer bytes than a condition.
  const selector = CONSULT_SELECTOR + ',' + (opts.consult || '[data-o2o-consult]');
  if (!SCRIPT_TAG) {
    // The script tag checks its own data-site; these checks are for code that calls us.
    if (!opts.site || !opts.endpoint) throw Error('o2o createTracker: site and endpoint are required');
    document.querySelector(selector); // a bad `consult` selector throws here, naming it, not on every click
  }
  // The script tag's options are its own dataset (script.ts): its endpoint defaults to the origin the script came from
  // (createTracker runs while the script does, so document.currentScript is it), and data-respect-dnt asks by its
  // presence (its value is "").
  const url = (SCRIPT_TAG ? '' + new URL(opts.endpoint || '/', (document.currentScript as HTMLScriptElement).src) : opts.endpoint).replace(/(\/collect)?\/?$/, '/collect');
  const [send, post] = transport(url, opts);
  const dnt = (SCRIPT_TAG ? 'respectDnt' in opts : opts.respectDnt) && ((navigator as Navigator & { globalPrivacyControl?: boolean }).globalPrivacyControl || (navigator.doNotTrack as unknown) == 1);

  // Nothing is queued or sent under GPC / DNT when asked, after an opt-out (in this browser, read once per page) or after stop().
  let off: unknown = dnt || store(KEYS.optout);
  const queue: WireEvent[] = []; // emptied with splice(0) before sending, so a send that throws cannot send it twice
  // The current page view: its id and route, and the SKU given by o2o('sku').
  let pv: string | undefined;
  let path: string | undefined;
  let sku: string | undefined;

  // On window, in the capture phase: every event of the page passes there first, even one the page stops.
  // Not `passive`: no type listened to is a touch or wheel event, where it would matter, and nothing here cancels an event.
  const listen = (types: string, fn: (e: Event) => void) =>
    types.split(' ').forEach((type) => addEventListener(type, guard(fn), true));

  // An event of this page: its view, its path and its SKU: the one given by o2o('sku'), else the page's, read
  // each time (an SPA renders a route's SKU after navigating); the worker cuts it to LIMITS.skuLength, and takes
  // an appointment's own `sku` prop before it. (querySelectorAll's [0]: a page without one gives undefined, which
  // JSON leaves out, not null. The element is a parameter, not a const: an expression body is fewer bytes.)
  const ev = (t: BrowserEventType, extra: Partial<WireEvent>, el = document.querySelectorAll<HTMLMetaElement>('meta[name="o2o:sku"],[data-o2o-sku]')[0]) =>
    newEvent({ t, pv, u: path, k: sku || (el && (el.content || el.dataset.o2oSku)), ...extra });

  const flush = () => {
    if (queue[0]) send(queue.splice(0));
  };
  // Queues an event of type `t`; after an opt-out nothing is made (not even the visitor's id). The first
  // event of a batch sets its timer: one set before the queue was last emptied only sends a later batch early.
  // The timer calls flush() unguarded: it cannot throw (send guards the beacon; a post keeps what fails).
  const push = (t: BrowserEventType, extra: Partial<WireEvent>) => {
    if (!off) queue.push(ev(t, extra)) < FLUSH_AT ? queue[1] || setTimeout(flush, FLUSH_MS) : flush();
  };

  // Engaged time (dwell.ts): each gap between two inputs counts up to DWELL_IDLE_MS. `clock(run)` adds the gap
  // since the last input, then runs from now (an input on a visible page) or stops (hidden or left).
  let acc = 0; // engaged ms accrued since the last dwell
  let last: unknown; // time of the last input; falsy = stopped
  const clock = (run: unknown) => {
    const now = Date.now();
    if (last) acc += Math.min(now - (last as number), DWELL_IDLE_MS);
    last = run && now;
  };
  // One dwell per page view, of the engaged time accrued since the last one; `run`: the clock goes on (a new route) or stops (hidden, left).
  const dwell = (run: unknown) => {
    clock(run);
    if (pv && acc) push('dwell', { d: acc });
    acc = 0;
  };
  const hide = () => {
    dwell(0);
    flush();
  };
  // A new page view. The old one's dwell was taken when its route changed (see onNavigate below).
  const view = () => {
    const prev = path;
    path = route();
    pv = newId();
    // npm build: a route inside the site refers from the previous route (the script tag keeps document.referrer: byte budget).
    push('view', { r: prev && !SCRIPT_TAG ? location.origin + prev : stripUrl(document.referrer), q: landingParams(location.search, opts) });
  };
  // Sent now with fetch, not a beacon, with what was queued: the answer carries the lead code.
  // After an opt-out nothing is made (not even the visitor's id), and the answer is undefined.
  // The event is made before the queue is taken: a call with props JSON cannot write (a BigInt, a cycle) throws
  // there (into the caller's guard), losing nothing queued.
  // (`e` is a parameter, not a variable: an expression body is fewer bytes. A second argument is overwritten.)
  const appointment = (p: Props, e?: WireEvent) =>
    Promise.resolve(off || ((e = ev('appointment', { p })), post(queue.splice(0).concat(e)))).then(
      (r: Partial<CollectResult> | void) => (r && r.leads && r.leads[e!.i]) as string | undefined,
    );

  // Input, or the page coming back into view, runs the clock; hidden or left, the dwell and the queue go.
  listen(ACTIVITY + ' visibilitychange', () => (document.hidden ? hide() : clock(1)));
  listen('pagehide', hide);
  const chat = chatLoader(url, opts, ev);
  listen('click', (e) => {
    const el = (e.target as Element).closest(selector);
    if (el) push('consult', consultOf(el)), (el as HTMLElement).dataset.o2oConsult == 'chat' && chat();
  });
  // Capture phase, never cancelling: the form's own submission goes on untouched.
  listen('submit', (e) => {
    const form = e.target as HTMLFormElement;
    const named = form.dataset.o2oAppointment;
    if (named != null) appointment(formProps(form, named)).then(guard((code) => showLead(form, code)));
  });
  // The old page's dwell goes now; the new view waits a tick so the app can render its SKU first.
  onNavigate(
    guard(() => {
      if (route() != path) {
        dwell(!document.hidden);
        // The old view is over: no event is of it (a dwell of the render before the new view would carry the new SKU),
        // and a given SKU was its own.
        pv = sku = '';
        setTimeout(guard(() => route() != path && view())); // after several route changes in one tick, the first view is of the last
      }
    }),
    listen,
  );
  clock(!document.hidden);

  // Replay what earlier pages could not send.
  if (!off) replay((n) => ev('track', { n: DROPPED_EVENT, p: { n } }), post);

  const api = {
    view,
    sku: (s) => void (sku = s),
    track: (name, props) => void (name && push('track', { n: name, p: props })),
    appointment,
    chat,
    optout: () => {
      off = store(KEYS.optout, 1);
      queue.splice(0);
      clear();
    },
  } as Tracker;
  // The script tag guards its one o2o() entry point instead (see script.ts) and has no flush() / stop() (byte budget).
  if (!SCRIPT_TAG) {
    api.flush = flush;
    // The dwell is queued before going quiet, and sent after: a failing send cannot leave the tracker live.
    api.stop = () => {
      dwell(0);
      off = 1;
      flush();
    };
    for (const k in api) (api as unknown as Record<string, (...a: unknown[]) => unknown>)[k] = guard((api as unknown as Record<string, (...a: unknown[]) => unknown>)[k]);
    const appt = api.appointment;
    api.appointment = (props) => appt(props) || Promise.resolve(undefined);
  }
  return api;
}
