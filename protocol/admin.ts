// The admin API's contract: sites, stores, tokens, the ingest and archive
// views, the CRM webhook and the service desk's settings. Request schemas
// (valibot) are what the worker checks; the JSON types are what it answers.
import * as v from 'valibot';
import { oneOf, siteKey, text } from './fields';
import { reportDay } from './reports';

/** Who a token is: the admin (one secret in the worker's env), a report reader, store staff or the online service desk. */
export type TokenKind = 'admin' | 'report' | 'store' | 'service';
/** The kinds the admin API issues (the admin token is a Worker secret). */
export const STORED_TOKEN_KINDS = ['report', 'store', 'service'] as const;
export type StoredTokenKind = (typeof STORED_TOKEN_KINDS)[number];

/** One store a token may act for or read: a store id means nothing without its site. */
export interface StorePair {
  site: string;
  store: string;
}

// ---------------------------------------------------------------- requests

const KEY = /^[a-z0-9][a-z0-9_-]{0,63}$/;
/** A key the admin chooses once: what `data-site` carries, or a store id. */
const newKey = (what: string) =>
  v.pipe(v.string(`must be ${what}`), v.regex(KEY, `must be ${what}: 1 to 64 lowercase letters, digits, "-" or "_", starting with a letter or digit`));
const newStoreId = v.pipe(newKey('a store id'), v.examples(['sh-xuhui']));
const name = (max: number) => v.pipe(v.string(`must be a name of at most ${max} characters`), v.minLength(1, `must be a name of at most ${max} characters`), v.maxLength(max, `must be a name of at most ${max} characters`));
const wholeNumber = (min: number, max: number) =>
  v.pipe(
    v.number(`must be a whole number from ${min} to ${max}`),
    v.integer(`must be a whole number from ${min} to ${max}`),
    v.minValue(min, `must be a whole number from ${min} to ${max}`),
    v.maxValue(max, `must be a whole number from ${min} to ${max}`),
  );

/** An origin as browsers send it in `Origin`: scheme, host and port, lowercase, no path. */
const origin = v.pipe(
  v.string('must be an origin'),
  v.maxLength(200, 'must be an origin of at most 200 characters'),
  v.regex(/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/, 'must be a lowercase scheme://host[:port] with no path, as browsers send it'),
  v.examples(['https://www.example.com']),
);

/** A WeChat mini program's app id (AppID in mp.weixin.qq.com → 开发管理 → 开发设置), as its requests' Referer names it. */
const appId = v.pipe(
  v.string('must be a mini program app id'),
  v.regex(/^wx[0-9a-f]{16}$/, 'must be a mini program app id: "wx" and 16 lowercase hex digits'),
  v.examples(['wx1234567890abcdef']),
);

/** The worker checks the zone against its runtime's time zone data (worker/time.ts). */
const timeZone = v.pipe(
  v.string('must be an IANA time zone'),
  v.minLength(1, 'must be an IANA time zone'),
  v.maxLength(64, 'must be an IANA time zone'),
  v.description('An IANA time zone: report days are its days.'),
  v.examples(['Asia/Shanghai']),
);

/** The purge's floor (db/retention.ts): a stored event is what makes a replay count once, and /collect takes events up to 7 days old. */
export const MIN_RETENTION_DAYS = 8;
export const MAX_CHANNEL_RULES = 100;

/**
 * A channel rule's shape. Its content (channel code, host, click-id parameter)
 * is checked by the worker's rule parser, which owns those rules.
 */
const ChannelRule = v.pipe(
  v.looseObject(
    {
      host: v.optional(v.string('must be a host name')),
      prefix: v.optional(v.string('must be a channel-code prefix')),
      clickId: v.optional(v.string('must be a URL parameter name')),
      channel: v.string('must be a channel code'),
      source: v.optional(v.string('must be a source name')),
      medium: v.optional(v.string('must be a medium name')),
    },
    'must be a rule: { host | prefix | clickId, channel, source?, medium? }',
  ),
  v.description('Exactly one of `host` (a referrer host or a parent domain of it), `prefix` (of the `ch` code) or `clickId` (an ad platform\'s landing parameter), mapped to `channel` (1-64 of a-z 0-9 _ . -) and optionally a `source` and `medium`.'),
);

export const MAX_CHANNEL_NAMES = 200;
export const MAX_CHANNEL_NAME_LENGTH = 40;

const CODE_RULE = 'must be a channel code: 1-64 lowercase letters, digits, "_", "." or "-", starting with a letter or digit';
/** A channel code as the channel rules write one (the `ch` codes are stored lowercased). */
const channelCode = v.pipe(v.string(CODE_RULE), v.regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, CODE_RULE));
const NAME_RULE = `must be a name of 1 to ${MAX_CHANNEL_NAME_LENGTH} printable characters (no control characters or line breaks)`;
/**
 * A channel's display name: plain text, trimmed, 1-40 characters (code points),
 * none of them a control, format (bidi overrides, zero-width) or line-break
 * character. Every reader shows it as text: the dashboard as textContent, the
 * CSV through its formula rule, the robots with markdown's characters disarmed.
 */
const channelName = v.pipe(
  v.string(NAME_RULE),
  v.trim(),
  v.regex(/^[^\p{C}\p{Zl}\p{Zp}]+$/u, NAME_RULE),
  v.check((s) => [...s].length <= MAX_CHANNEL_NAME_LENGTH, NAME_RULE),
  v.examples(['抖音直播']),
);
const NAMES_RULE = 'must be an object of channel codes to names, e.g. { "douyin_live": "抖音直播" }';
// valibot's record takes an array as an object and skips these keys without a word: both are refused first.
const RESERVED = ['__proto__', 'constructor', 'prototype'];
const names = <T extends v.GenericSchema>(value: T, description: string) =>
  v.pipe(
    v.custom<Record<string, unknown>>((x) => typeof x === 'object' && x !== null && !Array.isArray(x), NAMES_RULE),
    v.check((x) => !RESERVED.some((k) => Object.hasOwn(x, k)), `cannot name the codes ${RESERVED.map((k) => `"${k}"`).join(', ')}`),
    v.record(channelCode, value, NAMES_RULE),
    v.maxEntries(MAX_CHANNEL_NAMES, `must hold at most ${MAX_CHANNEL_NAMES} names`),
    v.description(description),
  );

/** The settings a POST or PATCH of a site may give; those left out keep their value (or default). */
const siteSettings = {
  name: v.optional(name(200)),
  origins: v.optional(v.pipe(v.array(origin, 'must be an array of origins'), v.maxLength(50, 'must list at most 50 origins'))),
  miniprogramAppIds: v.optional(v.pipe(v.array(appId, 'must be an array of mini program app ids'), v.maxLength(20, 'must list at most 20 app ids'))),
  timezone: v.optional(timeZone),
  currency: v.optional(v.pipe(v.string('must be an ISO 4217 code such as "CNY"'), v.regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as "CNY"'))),
  attributionDays: v.optional(wholeNumber(1, 365)),
  halfLifeDays: v.optional(v.pipe(wholeNumber(1, 365), v.description('The time-decay attribution model\'s half-life in days (default 7): a touch this old earns half the weight of one at the conversion.'))),
  retentionDays: v.optional(wholeNumber(MIN_RETENTION_DAYS, 3650)),
  channelRules: v.optional(
    v.pipe(
      v.array(ChannelRule, `must be an array of at most ${MAX_CHANNEL_RULES} channel rules`),
      v.maxLength(MAX_CHANNEL_RULES, `must hold at most ${MAX_CHANNEL_RULES} channel rules`),
    ),
  ),
};

/** `POST /api/v1/admin/sites`: a new site, with the defaults for what it leaves out. */
export const SiteBody = v.object({
  siteKey: v.pipe(newKey('a site key'), v.examples(['demo'])),
  ...siteSettings,
  name: name(200),
  channelNames: v.optional(names(channelName, `Display names of channel codes (\`douyin_live\` → 抖音直播), at most ${MAX_CHANNEL_NAMES}.`)),
});

/** `PATCH /api/v1/admin/sites/:site`: only what it names changes. */
export const SitePatchBody = v.object({
  ...siteSettings,
  channelNames: v.optional(
    names(
      v.nullable(channelName),
      `Merged into the site's names: each code given is set to its name, \`null\` deletes the code's name, codes left out keep theirs. A site keeps at most ${MAX_CHANNEL_NAMES}.`,
    ),
  ),
  siteKey: v.optional(v.pipe(v.never('cannot change: create a new site'), v.description('A site key cannot change: a body that names one is refused.'))),
});

/** The error code a rule's missing `channel` keeps (it was always invalid_field). */
export const SITE_CODES = { channel: 'invalid_field' };

/** `PUT /api/v1/admin/sites/:site/stores/:store`: creates or renames a store. */
export const StoreParams = v.object({ store: newStoreId });
export const StoreBody = v.object({
  name: name(200),
  region: v.optional(v.nullable(text(100))),
  city: v.optional(v.nullable(text(100))),
  address: v.optional(v.nullable(v.pipe(text(200), v.description('The street address the chat shows when an agent books a visit; left out keeps it, `null` clears it.')))),
});

/** A store in a token's scope: a pair, or (with exactly one site in `sites`) a bare store id of it. */
const StoreRef = v.union(
  [newStoreId, v.object({ site: siteKey, store: newStoreId })],
  'must be a { "site": …, "store": … } pair (or, with exactly one site in "sites", a store id)',
);
const MAX_TOKEN_STORES = 500;

/** `POST /api/v1/admin/tokens`: a report, store or service token; `sites` may be left out when `stores` are pairs. */
export const TokenBody = v.object({
  kind: v.picklist(STORED_TOKEN_KINDS, 'must be "report", "store" or "service"'),
  sites: v.optional(v.pipe(v.array(siteKey, 'must be an array of site keys'), v.maxLength(100, 'must list at most 100 sites'))),
  stores: v.optional(v.pipe(v.array(StoreRef, `must be an array of at most ${MAX_TOKEN_STORES} { site, store } pairs`), v.maxLength(MAX_TOKEN_STORES, `must list at most ${MAX_TOKEN_STORES} stores`))),
  label: v.optional(text(200)),
});
/** A missing `kind` is invalid_field, as it always was. */
export const TOKEN_CODES = { kind: 'invalid_field' };

export const TokensQuery = v.object({ site: v.optional(siteKey) });

/** An opaque id the worker made (a token's, a webhook delivery's). */
const id = (what: string) => v.pipe(v.string(`must be ${what}`), v.minLength(1, `must be ${what}`), v.maxLength(64, `must be ${what}`));
export const TokenParams = v.object({ id: v.pipe(id('a token id'), v.examples(['tok_V1StGXR8_Z5j'])) });

/** `from` and `to`: local days of the site, inclusive. */
export const DayRangeQuery = v.object({ from: reportDay, to: reportDay });

/** A page of a day's archive files; `cursor` comes from the previous page's answer. */
export const ArchiveQuery = v.object({
  day: reportDay,
  cursor: v.optional(v.pipe(v.string('must be the cursor of an earlier answer'), v.maxLength(2048, 'must be the cursor of an earlier answer'))),
});
export const DayQuery = v.object({ day: reportDay });

/** An archive chunk file's name, as the day's listing shows it. */
export const archiveFile = v.pipe(
  v.string('must be an archive file name'),
  v.regex(/^[0-9]{14}-[0-9a-z]{1,12}\.ndjson\.gz$/, 'must be an archive file name: list the day first'),
  v.examples(['20261201063000-k3j9x2.ndjson.gz']),
);
export const ArchiveFileParams = v.object({ day: reportDay, file: archiveFile });

/** https anywhere; plain http only to local and test hosts, for development. */
function isHookUrl(u: string): boolean {
  let url: URL;
  try {
    url = new URL(u);
  } catch {
    return false;
  }
  const local = /^(localhost|127\.0\.0\.1|\[::1\])$|\.(test|localhost)$/.test(url.hostname);
  return url.protocol === 'https:' || (url.protocol === 'http:' && local);
}

/** `PUT /api/v1/admin/sites/:site/crm`: the webhook; a secret left out is kept (or made, the first time). */
export const CrmBody = v.object({
  url: v.pipe(
    v.string('must be an absolute URL'),
    v.maxLength(2048, 'must be a URL of at most 2048 characters'),
    v.check(isHookUrl, 'must be an absolute https URL (http only for localhost and .test hosts)'),
    v.transform((u) => new URL(u).href),
    v.description('https (plain http only for localhost and .test hosts, for development).'),
    v.examples(['https://crm.example.cn/hooks/o2o']),
  ),
  secret: v.optional(v.pipe(v.string('must be a secret'), v.minLength(16, 'must be at least 16 characters (or leave it out to get one)'), v.maxLength(200, 'must be at most 200 characters'))),
  enabled: v.optional(v.boolean('must be true or false')),
});

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export const DeliveriesQuery = v.object({ status: v.optional(oneOf(DELIVERY_STATUSES)) });
export const DeliveryParams = v.object({ id: v.pipe(id('a delivery id'), v.examples(['whd_Vf3kQ9zL2mN8xR1t'])) });

/** `PUT /api/v1/admin/sites/:site/service`: the first-response target. */
export const ServiceBody = v.object({
  responseTargetSeconds: v.pipe(
    v.number('must be an integer from 1 to 86400'),
    v.integer('must be an integer from 1 to 86400'),
    v.minValue(1, 'must be an integer from 1 to 86400'),
    v.maxValue(86_400, 'must be an integer from 1 to 86400'),
    v.examples([30]),
  ),
});
/** A missing target is invalid_field, as it always was. */
export const SERVICE_CODES = { responseTargetSeconds: 'invalid_field' };

// ---------------------------------------------------------------- answers

export type ChannelRuleJson =
  | { host: string; channel: string; source?: string; medium?: string }
  | { prefix: string; channel: string; source?: string; medium?: string }
  | { clickId: string; channel: string; source?: string; medium?: string };

export interface SiteJson {
  siteKey: string;
  name: string;
  origins: string[];
  timezone: string;
  currency: string; // ISO 4217; money everywhere is in its minor units
  attributionDays: number;
  halfLifeDays: number; // the time-decay model's half-life in days (0016)
  retentionDays: number;
  channelRules: ChannelRuleJson[];
  channelNames: Record<string, string>; // channel code → display name, codes in order
  miniprogramAppIds: string[]; // WeChat mini programs allowed to send events, by app id (0015; docs/miniprogram.md)
}

export interface StoreJson {
  siteKey: string;
  storeId: string;
  name: string;
  region: string | null;
  city: string | null;
  address?: string | null; // the street address the desk's chat shows with a booking (0013)
}

/** A site as `GET /api/v1/session` lists it: what the dashboard's pickers and labels need. */
export interface SessionSiteJson {
  siteKey: string;
  name: string;
  timezone: string;
  currency: string;
  channelNames: Record<string, string>; // channel code → display name (the dashboard shows the name, the code where none is set)
  attributionDays: number; // the attribution window the reports' models count touches in
  halfLifeDays: number; // the time-decay model's half-life
  stores: Omit<StoreJson, 'siteKey'>[];
}

/** `GET /api/v1/session`: who a token is and which sites and stores it may see. */
export interface SessionJson {
  kind: TokenKind;
  tokenId: string;
  stores: StorePair[] | '*'; // '*': every store of its sites
  sites: SessionSiteJson[];
}

/** A token as listed: never its secret or its hash. */
export interface TokenJson {
  id: string;
  kind: StoredTokenKind;
  sites: string[];
  stores: StorePair[];
  label: string;
  createdAt: number; // epoch ms
  revokedAt: number | null; // epoch ms
}

/** A token just made: the one time its secret is shown. */
export type NewTokenJson = Pick<TokenJson, 'id' | 'kind' | 'sites' | 'stores'> & { token: string };

/** A per-day view of a site over `from`..`to`. */
export interface SiteDays<T> {
  site: string;
  from: string;
  to: string;
  days: T[];
}

/** Known bots' traffic /collect dropped. */
export interface BotDayJson {
  day: string;
  events: number;
  requests: number;
}

/** Events visitors' browsers had to drop from a full retry queue, as the SDK reported them. */
export interface ClientDropDayJson {
  day: string;
  events: number;
  reports: number; // browsers that reported a loss
}

/** What the fold did in a day. */
export interface IngestDayJson {
  day: string;
  folds: number;
  messages: number;
  events: number;
  duplicates: number; // replays dropped
  maxLagMs: number; // the longest wait in the queue
  lastFoldAt: number; // epoch ms
}

export interface ArchiveFileJson {
  file: string;
  key: string; // the R2 key
  bytes: number;
  events: number | null;
  uploaded: string;
}

export interface ArchiveDayJson {
  site: string;
  day: string;
  files: ArchiveFileJson[];
  cursor: string | null; // the next page's, or null for the last page
}

export interface DeadLettersJson {
  day: string;
  count: number;
  truncated: boolean;
  letters: { key: string; bytes: number; uploaded: string; body: unknown }[]; // the first 100
}

/** The webhook as set; `secret` only when the worker made a new one (shown once). */
export interface CrmSetJson {
  site: string;
  url: string;
  enabled: boolean;
  secret?: string;
}

export interface CrmDeliveryJson {
  id: string;
  type: string;
  status: DeliveryStatus;
  attempts: number;
  lastStatus: number | null; // the CRM's HTTP status
  lastError: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

export interface CrmJson {
  site: string;
  url: string;
  enabled: boolean;
  updatedAt: string;
  deliveries: Record<string, number>; // by status: pending, delivered, failed
  last: CrmDeliveryJson | null;
}

export interface ServiceSettingsJson {
  site: string;
  responseTargetSeconds: number;
}

// ---------------------------------------------------------------- examples

const at = '2026-12-01T06:30:00.000Z';
const site: SiteJson = {
  siteKey: 'demo', name: '木语家居', origins: ['https://www.example.com', 'https://m.example.com'], timezone: 'Asia/Shanghai', currency: 'CNY',
  attributionDays: 30, halfLifeDays: 7, retentionDays: 90, channelRules: [{ prefix: 'dy_', channel: 'douyin_ads', source: 'douyin', medium: 'cpc' }],
  channelNames: { baidu_sem: '百度搜索推广', douyin_ads: '抖音广告', douyin_live: '抖音直播' }, miniprogramAppIds: ['wx1234567890abcdef'],
};
const stores: StorePair[] = [{ site: 'demo', store: 'sh-xuhui' }];
const failed: CrmDeliveryJson = {
  id: 'whd_Vf3kQ9zL2mN8xR1t', type: 'deal.created', status: 'failed', attempts: 8, lastStatus: 500, lastError: 'HTTP 500',
  nextAttemptAt: null, createdAt: at, deliveredAt: null,
};
const days = { site: 'demo', from: '2026-12-01', to: '2026-12-01' };

/** Example answers, one per endpoint, for the OpenAPI description; typed, so one that drifts from the contract fails the typecheck. */
export const adminExamples = {
  sites: { sites: [site] } satisfies { sites: SiteJson[] },
  site: { site } satisfies { site: SiteJson },
  store: { store: { siteKey: 'demo', storeId: 'sh-xuhui', name: '徐汇店', region: '上海', city: '上海', address: '上海市徐汇区漕溪北路 88 号' } } satisfies { store: StoreJson },
  bots: { ...days, days: [{ day: '2026-12-01', events: 412, requests: 97 }] } satisfies SiteDays<BotDayJson>,
  clientDrops: { ...days, days: [{ day: '2026-12-01', events: 18, reports: 3 }] } satisfies SiteDays<ClientDropDayJson>,
  ingest: {
    ...days, days: [{ day: '2026-12-01', folds: 288, messages: 5120, events: 20433, duplicates: 61, maxLagMs: 2140, lastFoldAt: 1764604790000 }],
  } satisfies SiteDays<IngestDayJson>,
  archive: {
    site: 'demo', day: '2026-12-01', cursor: null,
    files: [{ file: '20261201063000-k3j9x2.ndjson.gz', key: 'events/site=demo/day=2026-12-01/20261201063000-k3j9x2.ndjson.gz', bytes: 18342, events: 250, uploaded: at }],
  } satisfies ArchiveDayJson,
  deadLetters: {
    day: '2026-12-01', count: 1, truncated: false,
    letters: [{ key: 'dead-letter/day=2026-12-01/0f3c9a.json', bytes: 412, uploaded: at, body: { id: '0f3c9a', attempts: 1, body: { reason: 'site "gone" is not registered' } } }],
  } satisfies DeadLettersJson,
  tokens: { tokens: [{ id: 'tok_V1StGXR8_Z5j', kind: 'store', sites: ['demo'], stores, label: '徐汇店前台', createdAt: 1764570600000, revokedAt: null }] } satisfies { tokens: TokenJson[] },
  newToken: { id: 'tok_V1StGXR8_Z5j', kind: 'store', sites: ['demo'], stores, token: 'o2o_s_…' } satisfies NewTokenJson,
  revoked: { id: 'tok_V1StGXR8_Z5j', revoked: true },
  crmSet: { site: 'demo', url: 'https://crm.example.cn/hooks/o2o', enabled: true, secret: 'whsec_…' } satisfies CrmSetJson,
  crm: {
    site: 'demo', url: 'https://crm.example.cn/hooks/o2o', enabled: true, updatedAt: at, deliveries: { pending: 0, delivered: 1204, failed: 1 }, last: failed,
  } satisfies CrmJson,
  crmPaused: { site: 'demo', enabled: false },
  deliveries: { site: 'demo', deliveries: [failed] } satisfies { site: string; deliveries: CrmDeliveryJson[] },
  retried: { site: 'demo', id: failed.id, status: 'pending' } satisfies { site: string; id: string; status: DeliveryStatus },
  service: { site: 'demo', responseTargetSeconds: 30 } satisfies ServiceSettingsJson,
  session: {
    kind: 'store', tokenId: 'tok_x1', stores,
    sites: [{
      siteKey: 'demo', name: '木语家居', currency: 'CNY', timezone: 'Asia/Shanghai', channelNames: site.channelNames, attributionDays: 30, halfLifeDays: 7,
      stores: [{ storeId: 'sh-xuhui', name: '徐汇店', region: '上海', city: '上海' }],
    }],
  } satisfies SessionJson,
};
