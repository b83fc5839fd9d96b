// @ts-check
// The dashboard's typed client: one function per endpoint it reads, typed by
// the protocol's answer types (protocol/), so a tab names the fields the worker
// sends instead of guessing. Checked by `npm run typecheck` (JSDoc types; the
// imports below are types only and vanish from the bundle).
import { api } from './api.js';
import { getFile } from './download.js';
import { postFile } from './upload.js';

/** @typedef {import('../../protocol/reports').ChannelReport} ChannelReport */
/** @typedef {import('../../protocol/reports').ChannelReportRow} ChannelReportRow */
/** @typedef {import('../../protocol/reports').SkuInterestReport} SkuInterestReport */
/** @typedef {import('../../protocol/reports').StockingReport} StockingReport */
/** @typedef {import('../../protocol/reports').SkuReportRow} SkuReportRow */
/** @typedef {import('../../protocol/staff').LeadJson} LeadJson */
/** @typedef {import('../../protocol/staff').LeadStatus} LeadStatus */
/** @typedef {{ site: string, from: string, to: string }} Range */
/** @typedef {import('../../protocol/reports').Period} Period */
/** @typedef {import('../../protocol/reports').Lang} Lang */

/**
 * GET /api/v1/reports/channels
 * (with `period`, a time series: rows carry their period; `periods` lists every period of the range)
 * @param {Range & { by?: 'channel' | 'campaign' | 'promoter' | 'store', attribution?: import('../../protocol/reports').Attribution, period?: Period }} q
 * @returns {Promise<ChannelReport>}
 */
export const channelReport = (q) => api('/reports/channels', { query: q });

/**
 * GET /api/v1/reports/scenes (a WeChat mini program's visitors by launch scene)
 * @param {Range} q
 * @returns {Promise<import('../../protocol/scenes').ScenesReport>}
 */
export const scenesReport = (q) => api('/reports/scenes', { query: q });

/**
 * GET /api/v1/reports/sku-interest
 * @param {Range & { level?: 'region' | 'city', region?: string }} q
 * @returns {Promise<SkuInterestReport>}
 */
export const skuInterest = (q) => api('/reports/sku-interest', { query: q });

/**
 * GET /api/v1/reports/stocking
 * @param {Range & { level?: 'region' | 'city', region?: string, top: number }} q
 * @returns {Promise<StockingReport>}
 */
export const stocking = (q) => api('/reports/stocking', { query: q });

/**
 * GET /api/v1/leads
 * @param {Range & { status?: LeadStatus }} q
 * @returns {Promise<{ site: string, from: string, to: string, leads: LeadJson[] }>}
 */
export const leadList = (q) => api('/leads', { query: q });

/**
 * PATCH /api/v1/leads/:code
 * @param {string} site
 * @param {string} code
 * @param {{ status?: LeadStatus, note?: string | null }} patch
 * @returns {Promise<{ lead: LeadJson }>}
 */
export const screenLead = (site, code, patch) => api(`/leads/${encodeURIComponent(code)}`, { method: 'PATCH', query: { site }, json: patch });

/**
 * GET /api/v1/reports/service
 * @param {Range & { by?: 'agent' | 'channel' | 'day' }} q
 * @returns {Promise<import('../../protocol/chat').ServiceSummary>}
 */
export const serviceReport = (q) => api('/reports/service', { query: q });

/**
 * POST /api/v1/deals/import or /api/v1/arrivals/import: a CRM or POS export
 * sent as its bytes (CSV in UTF-8 or GBK, or JSON named *.json); `dryRun`
 * checks every row and writes nothing.
 * @param {'deals' | 'arrivals'} kind
 * @param {{ site: string, file: File, dryRun: boolean }} q
 * @returns {Promise<import('../../protocol/staff').ImportResult>}
 */
export const importFile = (kind, { site, file, dryRun }) =>
  postFile(`/${kind}/import`, {
    query: { site, dryRun: String(dryRun) },
    body: file,
    type: /\.json$/i.test(file.name) || /json/i.test(file.type) ? 'application/json' : 'text/csv',
  });

// The same reports as CSV files (format=csv): UTF-8 with a BOM, headers in
// `lang` (zh-CN: Chinese names, money columns in 元), money in yuan. Each takes
// the query its table was drawn from, so the file holds what the table shows.

/**
 * GET /api/v1/reports/channels?format=csv
 * @param {Range & { by?: 'channel' | 'campaign' | 'promoter' | 'store', attribution?: import('../../protocol/reports').Attribution, lang: Lang }} q
 * @returns {Promise<Blob>}
 */
export const channelCsv = (q) => getFile('/reports/channels', { ...q, format: 'csv' });

/**
 * GET /api/v1/reports/sku-interest?format=csv
 * @param {Range & { level?: 'region' | 'city', region?: string, lang: Lang }} q
 * @returns {Promise<Blob>}
 */
export const skuInterestCsv = (q) => getFile('/reports/sku-interest', { ...q, format: 'csv' });

/**
 * GET /api/v1/reports/stocking?format=csv
 * @param {Range & { level?: 'region' | 'city', region?: string, top: number, lang: Lang }} q
 * @returns {Promise<Blob>}
 */
export const stockingCsv = (q) => getFile('/reports/stocking', { ...q, format: 'csv' });

/**
 * GET /api/v1/leads?format=csv
 * @param {Range & { status?: LeadStatus, lang: Lang }} q
 * @returns {Promise<Blob>}
 */
export const leadCsv = (q) => getFile('/leads', { ...q, format: 'csv' });

/**
 * GET /api/v1/reports/service?format=csv
 * @param {Range & { by?: 'agent' | 'channel' | 'day', lang: Lang }} q
 * @returns {Promise<Blob>}
 */
export const serviceCsv = (q) => getFile('/reports/service', { ...q, format: 'csv' });

/**
 * GET /api/v1/reports/scenes?format=csv
 * @param {Range & { lang: Lang }} q
 * @returns {Promise<Blob>}
 */
export const scenesCsv = (q) => getFile('/reports/scenes', { ...q, format: 'csv' });
