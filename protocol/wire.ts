// The wire protocol between the browser SDK and the worker: event types, the
// short keys they travel under, and the limits the edge enforces. Runtime-neutral
// (no window, no Worker globals) so both sdk/ and worker/ import it; the SDK takes
// types and constants only, the validator that enforces them lives in worker/.

/** The protocol's version: the API lives under /api/v1 and the wire format of /collect is version 1. A change that breaks a client gets a new version; additions do not. */
export const PROTOCOL_VERSION = 1;

/** Events a browser sends to `/collect`. */
export const BROWSER_EVENT_TYPES = ['view', 'dwell', 'consult', 'appointment', 'track'] as const;
/** Events store staff record through the API (never accepted from `/collect`). */
export const STORE_EVENT_TYPES = ['arrival', 'deal'] as const;

export type BrowserEventType = (typeof BROWSER_EVENT_TYPES)[number];
export type StoreEventType = (typeof STORE_EVENT_TYPES)[number];
export type EventType = BrowserEventType | StoreEventType;

/** A bounded bag of scalar properties (appointment details, custom event props). */
export type Props = Record<string, string | number | boolean>;

/** One event as it travels on the wire. Keys are short because every byte is beaconed. */
export interface WireEvent {
  i: string; // event id: nanoid made by the client; (site, id) drops replays
  t: BrowserEventType; // event type
  ts: number; // client clock, ms since epoch (the worker clamps skew)
  v: string; // visitor id: random, first-party, kept in localStorage
  ss: string; // session id: rotates after 30 minutes without activity
  pv?: string; // page-view id: ties dwell and consult events to their view
  u?: string; // page path, never the query string
  r?: string; // document.referrer (view only)
  q?: Record<string, string>; // allow-listed query parameters: ch, pr, utm_*, ad click ids (view only)
  k?: string; // SKU of the page, when it is a SKU page
  d?: number; // engaged dwell in ms accrued since the last dwell event of this view (dwell only)
  c?: string; // consult kind: chat, phone, wechat, qq, form, … (consult only)
  l?: string; // label of the clicked element (consult only)
  n?: string; // custom event name (track only)
  p?: Props; // props: appointment details (store, budget, style, phone-free) or custom props; sent as given, trimmed by the worker
  sc?: number; // WeChat mini program: the launch scene (1047 scanned code, 1007 shared card, …) on the first view after the app is shown (view only)
}

/** The body of `POST /collect`: one site, a batch of events. */
export interface Batch {
  s: string; // site key
  e: WireEvent[]; // events, oldest first
}

/** What `/collect` answers (202). */
export interface CollectResult {
  accepted: number; // events stored now or already stored (a replay is not an error)
  duplicates: number; // of those, events already stored by an earlier delivery
  rejected: { index: number; id?: string; code: string; message: string }[];
  dropped?: number; // events of a known bot: counted, not stored (a 2xx, so nothing retries)
  leads?: Record<string, string>; // appointment event id → lead code, for the page to show
}

/** The error envelope every non-2xx JSON answer uses. */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/**
 * Limits. Ids over their limit are refused by the worker; everything else is cut by it: what the
 * browser reads off the page (path, referrer, parameter values, consult kind, label), what a page's
 * code passes (SKU, event name: a number is taken as its text), a dwell and props. They leave the
 * browser as the page gave them (the script tag's byte budget): the worker keeps the first maxProps
 * keys, cuts keys and string values, turns a nested value into its string form and drops a null
 * one, and accepts the event.
 */
export const LIMITS = {
  maxBodyBytes: 64 * 1024, // one beacon; sendBeacon itself caps near 64 KiB
  maxEvents: 50, // per batch
  idLength: 64, // event, visitor, session and page-view ids
  siteKeyLength: 64,
  pathLength: 512, // cut by the worker
  referrerLength: 1024, // cut by the worker
  paramLength: 256, // each allow-listed query value; cut by the worker (it drops other keys unread)
  skuLength: 64, // cut by the worker
  labelLength: 128, // trimmed and cut by the worker
  nameLength: 64, // custom event name, cut by the worker; a consult kind is cut to it too
  maxProps: 20, // props past the 20th dropped by the worker
  propKeyLength: 40, // cut by the worker
  propValueLength: 256, // cut by the worker
  maxDwellMs: 6 * 60 * 60 * 1000, // one dwell event never claims more than 6 h: the worker cuts a longer one
  maxSkus: 50, // per deal or appointment
} as const;

/**
 * Query parameters the SDK may send by default; everything else in the URL stays in the browser.
 * Lists are comma-separated strings: the script tag splits one string for less than an array costs it.
 */
export const DEFAULT_PARAMS = {
  channel: 'ch',
  promoter: 'pr',
  utm: 'utm_source,utm_medium,utm_campaign,utm_content,utm_term',
  clickIds: 'bd_vid,qhclickid,clickid,gdt_vid,qz_gdt,gclid', // Baidu, 360, Ocean Engine / Douyin, Tencent Ads (inside WeChat, elsewhere), Google
} as const;

/** Name of the `track` event the SDK sends when its bounded retry queue had to drop events; `p.n` = how many. */
export const DROPPED_EVENT = 'o2o_dropped';

/** Session rotation after inactivity, and the idle cut-off for engaged dwell. */
export const SESSION_IDLE_MS = 30 * 60 * 1000;
export const DWELL_IDLE_MS = 30 * 1000;
