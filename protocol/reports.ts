// The report API's contract: what each report takes (valibot schemas the worker
// checks its query or body with) and what it answers (the row and report types,
// with an example of each for the OpenAPI description). Money is in minor units
// (fen for CNY); a ratio whose denominator is 0 is null, never 0 or ∞.
import * as v from 'valibot';
import { day, intParam, oneOf, siteKey } from './fields';

/** The interest signals a SKU is scored on, in the order the weights list them. */
export const SIGNALS = ['views', 'visitors', 'dwellMs', 'consults', 'appointments'] as const;
export type Signal = (typeof SIGNALS)[number];
/** A weight per signal; a site may keep its own (PUT /api/v1/admin/sites/:site, `weights`). */
export type Weights = Record<Signal, number>;

/**
 * Who gets a conversion's credit: the last or first touch, or shared by the
 * touches within the attribution window (linear: equally; position: 40 % first,
 * 40 % last, 20 % over the middle; time_decay: halving every `halfLifeDays`).
 * The shared models group by channel only; their counts are fractional.
 */
export const ATTRIBUTIONS = ['last', 'first', 'linear', 'position', 'time_decay'] as const;
/** The models that share credit among touches (docs/reports.md, Attribution models). */
export const MULTI_TOUCH = ['linear', 'position', 'time_decay'] as const;
export const CHANNEL_GROUPS = ['channel', 'campaign', 'promoter', 'store'] as const;
export const LEVELS = ['region', 'city'] as const;
export const FIT_TARGETS = ['units', 'revenue'] as const;
export const FORMATS = ['json', 'csv'] as const;
/** CSV column headers: English keys (money as `…_yuan`) or Chinese names (money as `…（元）`). */
export const LANGS = ['en', 'zh-CN'] as const;
/** A time series' period: local days, ISO weeks (Monday first) or calendar months. */
export const PERIODS = ['day', 'week', 'month'] as const;
export type Attribution = (typeof ATTRIBUTIONS)[number];
export type ChannelGroup = (typeof CHANNEL_GROUPS)[number];
export type Level = (typeof LEVELS)[number];
export type FitTarget = (typeof FIT_TARGETS)[number];
export type Lang = (typeof LANGS)[number];
export type Period = (typeof PERIODS)[number];

/** A group of sites read as one report: at most this many. */
export const MAX_SITES = 20;

/** A local day in the years 2000–2999: every date the product holds, and date arithmetic stays exact. */
export const reportDay = v.pipe(day, v.regex(/^2\d{3}-/, 'must be a date as YYYY-MM-DD in the years 2000 to 2999'));

/**
 * `site=a` or a group `site=a,b`, read as one report: the site keys, blanks and
 * repeats dropped. The token must be allowed every one of them.
 */
export const siteGroup = v.pipe(
  v.string('must be a site key or comma-separated site keys'),
  v.description(`A site key, or up to ${MAX_SITES} comma-separated site keys read as one report.`),
  v.examples(['demo', 'demo,demo-hk']),
  v.maxLength(MAX_SITES * 65, `must name at most ${MAX_SITES} sites`),
  v.transform((s) => [...new Set(s.split(',').map((k) => k.trim()).filter(Boolean))]),
  v.check((keys) => keys.length <= MAX_SITES, `must name at most ${MAX_SITES} sites`),
  v.check((keys) => keys.every((k) => k.length <= 64), 'must be site keys of at most 64 characters'),
);

const range = { site: siteGroup, from: reportDay, to: reportDay };
export const format = v.optional(oneOf(FORMATS), 'json');
/** `lang=zh-CN`: a CSV's headers in Chinese; the JSON is the same in any language. */
export const lang = v.optional(v.pipe(oneOf(LANGS), v.description('CSV headers: `en` (keys; money columns `…_yuan`) or `zh-CN` (Chinese names; money `…（元）`). CSV money is in yuan, JSON money in fen.')), 'en');
/** `period=day|week|month`: the report as a series, one block of rows per period (each exactly the report of that period alone). */
const period = v.optional(v.pipe(oneOf(PERIODS), v.description('A time series: one set of rows per local day, ISO week (Monday first) or month, each exactly the report of that period alone (clipped to the range). At most 92 days, 106 weeks or 36 months.')));
const top = intParam(1, 1000);

/** `GET /api/v1/reports/channels`: the funnel per channel (campaign, promoter, store), `format=csv` for a spreadsheet. */
export const ChannelsQuery = v.object({
  ...range,
  attribution: v.optional(oneOf(ATTRIBUTIONS), 'last'),
  by: v.optional(oneOf(CHANNEL_GROUPS), 'channel'),
  period,
  format,
  lang,
});

/** `GET /api/v1/reports/sku-interest`: SKUs ranked by interest within each region (or city). */
export const SkuInterestQuery = v.object({
  ...range,
  level: v.optional(oneOf(LEVELS), 'region'),
  region: v.optional(v.pipe(v.string(), v.maxLength(64, 'must be a region or city name of at most 64 characters'), v.description('Only this region (or city, with `level=city`).'))),
  top: v.optional(top),
  weights: v.optional(v.pipe(
    v.string(),
    v.maxLength(512, 'must be at most 512 characters'),
    v.description('Weights to score with instead of the site\'s: `views:0.1,visitors:0.3,…` or the same as a JSON object; signals left out weigh 0.'),
  )),
  period,
  format,
  lang,
});

/** `GET /api/v1/reports/stocking`: each region's (or city's) top N SKUs, with the score's parts. */
export const StockingQuery = v.object({ ...v.omit(SkuInterestQuery, ['period']).entries, top });

/** `POST /api/v1/reports/sku-interest/fit`: weights fitted to what stores sold; an admin may adopt them. */
export const FitBody = v.pipe(
  v.object({
    site: siteKey,
    from: reportDay,
    to: reportDay,
    level: v.nullish(oneOf(LEVELS), 'region'),
    target: v.nullish(oneOf(FIT_TARGETS), 'units'),
    adopt: v.optional(v.pipe(v.boolean('must be true or false'), v.description('Save the fitted weights as the site\'s (admin token only).')), false),
  }),
  v.check((b) => b.from <= b.to, '"from" must not be after "to"'),
);

/** A channel code, as in the landing parameter `ch` (matched case-insensitively). */
const channelCode = v.pipe(v.string('must be a channel code'), v.regex(/^\s*[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\s*$/, 'must be a channel code (letters, digits, _ . -)'), v.examples(['baidu_sem']));

const AMOUNT = 'must be a non-negative integer in minor units (fen)';
/** One row of a spend upload: a day's or a month's spend of a channel (a month is spread evenly over its days). */
export const SpendRow = v.object({
  channel: channelCode,
  date: v.pipe(v.string('must be YYYY-MM-DD or YYYY-MM'), v.regex(/^\s*\d{4}-\d{2}(?:-\d{2})?\s*$/, 'must be YYYY-MM-DD or YYYY-MM'), v.examples(['2026-12', '2026-12-01'])),
  amount: v.union([v.pipe(v.number(AMOUNT), v.safeInteger(AMOUNT), v.minValue(0, AMOUNT)), v.pipe(v.string(AMOUNT), v.regex(/^\s*\d{1,15}\s*$/, AMOUNT))], AMOUNT),
});

/**
 * `PUT /api/v1/spend` as JSON. `rows` holds 1 to MAX_SPEND_ROWS rows (worker/reports/spend.ts,
 * which checks the rows of a CSV upload by the same rules).
 */
export const SpendBody = v.object({
  site: v.optional(siteKey),
  rows: v.array(SpendRow, 'must be an array of { channel, date, amount }'),
});

/** `PUT /api/v1/spend` as CSV names its site in the query. */
export const SpendQuery = v.object({ site: v.optional(siteKey) });

/**
 * One row of the channel report, keyed by what `by` names (channel, campaign,
 * promoter or store; null for none). By store there is no online stage: those
 * counts are null. The channel's name, spend and cost columns are there with `by=channel` only.
 * A type, not an interface: the CSV writer takes it as a record.
 */
export type ChannelReportRow = {
  channel?: string | null;
  channelName?: string | null; // by=channel: the site's display name of the code (admin API `channelNames`); null when it has none
  campaign?: string | null;
  promoter?: string | null;
  store?: string | null;
  period?: string; // with `period=`: 2026-12-01 · 2026-W49 · 2026-12
  visitors: number | null; // distinct visitors credited in range
  views: number | null;
  consults: number | null; // visitors who consulted
  appointments: number; // leads made
  arrivals: number; // every arrival in range: bookedArrivals + walkIns
  bookedArrivals: number; // arrivals with a lead (an appointment made first)
  walkIns: number; // arrivals without a lead
  deals: number; // not voided
  revenue: number;
  consultRate: number | null; // consults / visitors
  appointmentRate: number | null; // appointments / consults
  arrivalRate: number | null; // bookedArrivals / appointments (walk-ins left out)
  closeRate: number | null; // deals / arrivals (all arrivals, walk-ins included)
  avgDeal: number | null; // revenue / deals
  uplift: number | null; // (amount − budget) / budget over deals that had a budget
  spend?: number;
  costPerConsult?: number | null;
  costPerAppointment?: number | null;
  costPerArrival?: number | null;
  costPerDeal?: number | null;
  roi?: number | null; // (revenue − spend) / spend
};

/** One period of a series: its label and its days, clipped to the report's range. */
export interface PeriodSpan {
  period: string; // 2026-12-01 · 2026-W49 (ISO week) · 2026-12
  from: string;
  to: string;
}

export const RATE_KEYS = ['consultRate', 'appointmentRate', 'arrivalRate', 'closeRate'] as const;
export type RateKey = (typeof RATE_KEYS)[number];
/** What each rate divides, in both languages the dashboard speaks. */
export type RateGlossary = Record<RateKey, { en: string; 'zh-CN': string }>;

export const RATE_GLOSSARY: RateGlossary = {
  consultRate: {
    en: 'Consult rate: visitors who consulted ÷ visitors.',
    'zh-CN': '咨询率：发起咨询的访客数 ÷ 访客数。',
  },
  appointmentRate: {
    en: 'Appointment rate: appointments (leads) ÷ visitors who consulted.',
    'zh-CN': '预约率：预约数（线索）÷ 发起咨询的访客数。',
  },
  arrivalRate: {
    en: 'Arrival rate: arrivals with an appointment ÷ appointments; walk-ins are left out. Counted by the day each happened, so a lead booked before the range and arriving in it can lift a short range past 100%.',
    'zh-CN': '到店率：预约到店数 ÷ 预约数，不含自然到店（未预约直接到店）。按各自发生的日期统计，范围较短时，范围前预约、范围内到店的客户可能使其超过 100%。',
  },
  closeRate: {
    en: 'Close rate: buyers ÷ all arrivals (with an appointment or walk-in).',
    'zh-CN': '成交率：成交人数 ÷ 全部到店数（预约到店与自然到店）。',
  },
};

export interface ChannelReport {
  site: string; // the sites, comma-separated
  sites: string[];
  from: string;
  to: string;
  attribution: Attribution;
  by: ChannelGroup;
  period?: Period; // with `period=`: rows carry their period, in period order
  periods?: PeriodSpan[]; // every period of the range, empty ones too
  rates: RateGlossary;
  rows: ChannelReportRow[];
}

/** One SKU in one place: its signals, its score (Σ weight × signal / the place's largest) and rank there, and what stores sold of it. */
export type SkuReportRow = {
  region?: string | null; // the place, under the level's name (null: Cloudflare gave none)
  city?: string | null;
  period?: string; // with `period=`: the period the row is of
  sku: string;
  rank: number; // 1 = the most interest in the place (in the period, with `period=`)
  score: number;
  views: number;
  visitors: number;
  dwellMs: number;
  consults: number;
  appointments: number;
  medianDwellMs: number;
  units: number; // sold, in non-voided deals of stores in the place
  revenue: number;
  parts?: Record<Signal, number>; // weight × signal / the place's largest, per signal (stocking only)
};

/** Spearman's rho between score and units sold, overall and per place; null without sales. */
export interface Correlation {
  overall: number | null; // over every (place, SKU) row
  byPlace: Record<string, number | null>;
}

export interface SkuInterestReport {
  site: string;
  from: string;
  to: string;
  level: Level;
  region: string | null;
  top: number | null;
  weights: Weights;
  weightsSource: 'parameter' | 'site' | 'default';
  correlation: Correlation | null; // with `period=`: null here, each period's in `periods`
  period?: Period;
  periods?: (PeriodSpan & { correlation: Correlation | null })[];
  rows: SkuReportRow[];
}

/** One place of the stocking list: its top N SKUs in rank order. */
export type StockingPlace = { region?: string | null; city?: string | null; skus: SkuReportRow[] };

export interface StockingReport {
  site: string;
  from: string;
  to: string;
  level: Level;
  top: number;
  weights: Weights;
  regions?: StockingPlace[]; // by region; `cities` with level=city
  cities?: StockingPlace[];
}

interface FitScore {
  weights: Weights;
  sse: number;
  r2: number | null;
  spearman: number | null;
}

export interface FitResult {
  samples: number; // (place, SKU) rows fitted
  target: FitTarget;
  current: FitScore; // the weights scored with now, scaled by their own best factor
  fitted: FitScore; // non-negative least squares, rescaled to sum to 1
  improvement: { sse: number | null; spearman: number | null }; // relative SSE reduction; rho gain
}

export interface FitReport extends FitResult {
  site: string;
  from: string;
  to: string;
  level: Level;
  adopted: boolean;
}

/** `PUT /api/v1/spend` answers how many rows it read and how many channel-days they made. */
export interface SpendResult {
  site: string;
  rows: number;
  days: number;
}

// Example answers for the OpenAPI description, typed by the answers above.
const weights: Weights = { views: 0.1, visitors: 0.2, dwellMs: 0.2, consults: 0.2, appointments: 0.3 };
const span = { site: 'demo', from: '2026-12-01', to: '2026-12-07' };

export const channelReportExample: ChannelReport = {
  ...span, sites: ['demo'], attribution: 'last', by: 'channel', rates: RATE_GLOSSARY,
  rows: [{
    channel: 'baidu_sem', channelName: '百度搜索推广', visitors: 1200, views: 3100, consults: 96, appointments: 24, arrivals: 15, bookedArrivals: 12, walkIns: 3, deals: 6, revenue: 8_100_000,
    consultRate: 0.08, appointmentRate: 0.25, arrivalRate: 0.5, closeRate: 0.4, avgDeal: 1_350_000, uplift: 0.12,
    spend: 1_500_000, costPerConsult: 15_625, costPerAppointment: 62_500, costPerArrival: 100_000, costPerDeal: 250_000, roi: 4.4,
  }],
};

const skuRow: SkuReportRow = {
  region: '上海', sku: 'SOFA-01', rank: 1, score: 0.86, views: 420, visitors: 180, dwellMs: 9_000_000, consults: 12, appointments: 5,
  medianDwellMs: 41_000, units: 4, revenue: 5_400_000,
};

export const skuInterestExample: SkuInterestReport = {
  ...span, level: 'region', region: null, top: null, weights, weightsSource: 'default',
  correlation: { overall: 0.71, byPlace: { 上海: 0.74 } }, rows: [skuRow],
};

export const stockingExample: StockingReport = {
  ...span, level: 'region', top: 10, weights,
  regions: [{ region: '上海', skus: [{ ...skuRow, parts: { views: 0.1, visitors: 0.2, dwellMs: 0.16, consults: 0.2, appointments: 0.2 } }] }],
};

export const fitExample: FitReport = {
  ...span, level: 'region', samples: 48, target: 'units',
  current: { weights, sse: 1.92, r2: 0.41, spearman: 0.62 },
  fitted: { weights: { views: 0, visitors: 0.46, dwellMs: 0.05, consults: 0.29, appointments: 0.2 }, sse: 0.88, r2: 0.73, spearman: 0.81 },
  improvement: { sse: 0.541667, spearman: 0.19 },
  adopted: false,
};

export const spendExample: SpendResult = { site: 'demo', rows: 2, days: 32 };
