// The store side of the funnel: leads (预约单) screened online, arrivals (到店)
// and deals (成交) recorded by store staff, and the self check-in poster. Request
// schemas (valibot) are what the worker checks; the JSON types are what it answers.
import * as v from 'valibot';
import { leadCode, minorUnits, oneOf, sku, siteKey, skuList, storeId, text, visitorId, day, intParam } from './fields';
import { FORMATS, lang } from './reports';
import { LIMITS } from './wire';

/** Who is meant: a lead code from the appointment, or a visitor id (a walk-in's self check-in, a visitor the staff know). */
const who = {
  lead: v.optional(leadCode),
  visitor: v.optional(visitorId),
};

/** `POST /api/v1/arrivals`: a customer arrived at a store. */
export const ArrivalBody = v.object({
  site: v.optional(siteKey),
  store: storeId,
  ...who,
});
export type ArrivalInput = v.InferInput<typeof ArrivalBody>;

export const DealItem = v.object({
  sku,
  qty: v.optional(v.pipe(v.number('must be an integer from 1 to 10000'), v.integer('must be an integer from 1 to 10000'), v.minValue(1, 'must be an integer from 1 to 10000'), v.maxValue(10_000, 'must be an integer from 1 to 10000')), 1),
  amount: minorUnits(0),
});

/** `POST /api/v1/deals` (with an `Idempotency-Key` header): a deal closed. Money in minor units (fen). */
export const DealBody = v.pipe(
  v.object({
    site: v.optional(siteKey),
    store: storeId,
    ...who,
    amount: v.pipe(minorUnits(1), v.description('The deal total, minor units (fen).'), v.examples([1_350_000])),
    budget: v.optional(v.nullable(minorUnits(0))),
    items: v.optional(v.pipe(v.array(DealItem, 'must be an array of { sku, qty?, amount }'), v.minLength(1, 'must be a non-empty array'), v.maxLength(LIMITS.maxSkus, `must have at most ${LIMITS.maxSkus} items`))),
    skus: v.optional(skuList),
  }),
  v.check((b) => b.items === undefined || b.skus === undefined, 'give "items" or "skus", not both'),
);
export type DealInput = v.InferInput<typeof DealBody>;

export const VoidBody = v.object({ reason: v.pipe(v.string('must be a reason'), v.minLength(1, 'must be a reason'), v.maxLength(500, 'must be at most 500 characters')) });

export const LEAD_STATUSES = ['new', 'qualified', 'unqualified'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

/** Where a lead came from: the visitor's own form, a booking the service desk made for the visitor, or a visitor's request to be called back. */
export const LEAD_SOURCES = ['form', 'desk', 'callback'] as const;
export type LeadSource = (typeof LEAD_SOURCES)[number];

/** `GET /api/v1/leads`: a site's leads made in a range of local days. */
export const LeadsQuery = v.object({
  site: v.optional(siteKey),
  from: day,
  to: day,
  status: v.optional(oneOf(LEAD_STATUSES)),
  /** Only leads of this source: `callback` lists the calls the service team has to make. */
  source: v.optional(oneOf(LEAD_SOURCES)),
  /** Only this store's leads (one the token may act for): the store workspace (/store) asks for its own. */
  store: v.optional(storeId),
  limit: v.optional(intParam(1, 1000), '500'),
  format: v.optional(oneOf(FORMATS), 'json'),
  lang,
});

/** `PATCH /api/v1/leads/:code`: screening: status, a note, the store it is assigned to. */
export const LeadPatchBody = v.object({
  site: v.optional(siteKey),
  status: v.optional(oneOf(LEAD_STATUSES)),
  note: v.optional(v.nullable(text(2000))),
  store: v.optional(v.nullable(storeId)),
});

export const SiteQuery = v.object({ site: v.optional(siteKey) });

/** `GET /api/v1/stores/:store/checkin` and friends: which origin the poster's QR code opens. */
export const CheckinQuery = v.object({
  site: v.optional(siteKey),
  origin: v.optional(v.pipe(v.string('must be an origin'), v.maxLength(256, 'must be an origin'))),
});

/** A lead as the API and the CRM webhook show it: money in minor units of the site's currency. */
export interface LeadJson {
  code: string;
  site: string;
  status: LeadStatus;
  source: LeadSource;
  conversation: string | null; // the chat a desk booking or a callback was made in
  note: string | null;
  store: string | null;
  visitor: string | null;
  budget: number | null; // minor units (fen for CNY)
  style: string | null;
  skus: string[];
  props: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  day: string;
  firstChannel: string;
  firstCampaign: string | null;
  firstPromoter: string | null;
  lastChannel: string;
  lastCampaign: string | null;
  lastPromoter: string | null;
  region: string | null;
  city: string | null;
}

/**
 * What a lead shows to staff outside its store: enough to serve the customer
 * (budget, style, SKUs of interest), not the screening note, the form's extra
 * fields or the visitor id.
 */
export type LeadSummary = Pick<LeadJson, 'code' | 'store' | 'budget' | 'style' | 'skus'>;

export interface ArrivalJson {
  id: string;
  site: string;
  store: string;
  lead: string | null;
  visitor: string | null;
  method: 'staff' | 'self';
  at: string;
  day: string;
  firstChannel: string;
  lastChannel: string;
  lastCampaign: string | null;
}

/** `POST /api/v1/arrivals` answers this: 201 when recorded now, 200 when already recorded today. */
export interface ArrivalResult {
  arrival: ArrivalJson;
  lead: LeadJson | LeadSummary | null;
  duplicate: boolean; // already recorded today for this person and store
}

export interface DealItemJson {
  sku: string;
  qty: number;
  amount: number; // minor units
}

export interface DealJson {
  id: string;
  site: string;
  store: string;
  lead: string | null;
  visitor: string | null;
  amount: number;
  budget: number | null;
  currency: string;
  at: string;
  day: string;
  voided: boolean;
  voidedAt: string | null;
  voidReason: string | null;
  items: DealItemJson[];
  firstChannel: string;
  lastChannel: string;
  lastCampaign: string | null;
}

/**
 * `POST /api/v1/deals/import` and `/api/v1/arrivals/import`: a CRM or POS export.
 * The body is CSV (UTF-8, with or without BOM, or GBK as Chinese Excel saves it:
 * detected) or JSON `{ rows: [...] }`. `dryRun=true` checks every row and says
 * what would be created, writing nothing.
 */
export const ImportQuery = v.object({
  site: v.optional(siteKey),
  dryRun: v.optional(v.pipe(oneOf(['true', 'false', '1', '0']), v.transform((s) => s === 'true' || s === '1')), 'false'),
});

/** One JSON row of an import; money in minor units (fen). CSV rows name the same fields (see docs/store-staff.md), money in yuan. */
export const ImportRow = v.object({
  key: v.optional(v.pipe(v.string('must be the order number'), v.minLength(1, 'must be the order number'), v.maxLength(100, 'must be at most 100 characters'))),
  store: storeId,
  lead: v.optional(leadCode),
  visitor: v.optional(visitorId),
  amount: v.optional(minorUnits(1)),
  budget: v.optional(v.nullable(minorUnits(0))),
  skus: v.optional(skuList),
  /** When it happened: ISO 8601, or `YYYY-MM-DD[ HH:mm[:ss]]` (also with `/`) in the site's timezone; default now. */
  at: v.optional(v.pipe(v.string('must be a date and time'), v.maxLength(40, 'must be a date and time'))),
});
export type ImportRowInput = v.InferInput<typeof ImportRow>;
export const ImportJsonBody = v.object({ rows: v.pipe(v.array(v.unknown(), 'must be an array of rows'), v.maxLength(1000, 'must have at most 1000 rows')) });

export type ImportRowStatus = 'created' | 'duplicate' | 'would_create' | 'error';

export interface ImportRowResult {
  row: number; // 1-based, the header excluded
  key: string | null;
  status: ImportRowStatus;
  id?: string; // the deal or arrival made (or found, for a duplicate)
  error?: { code: string; message: string };
}

export interface ImportResult {
  dryRun: boolean;
  encoding: 'utf-8' | 'gbk' | 'json';
  counts: Record<ImportRowStatus, number>;
  rows: ImportRowResult[];
}

/** `GET /api/v1/skus`: the SKUs a site's pages have shown (its SKU pairs), for picking a deal's SKUs. */
export const SkusQuery = v.object({
  site: v.optional(siteKey),
  limit: v.optional(intParam(1, 1000), '500'),
});

/** `GET /api/v1/skus` answers this: distinct SKUs in code order, at most `limit`. */
export interface SkusJson {
  site: string;
  skus: string[];
  truncated: boolean; // the site has more SKUs than `limit`
}
