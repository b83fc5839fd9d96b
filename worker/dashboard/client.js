// @ts-check
// The dashboard's typed client: one function per endpoint it reads, typed by
// the protocol's answer types (protocol/), so a tab names the fields the worker
// sends instead of guessing. Checked by `npm run typecheck` (JSDoc types; the
// imports below are types only and vanish from the bundle).
import { api } from './api.js';

/** @typedef {import('../../protocol/reports').ChannelReport} ChannelReport */
/** @typedef {import('../../protocol/reports').ChannelReportRow} ChannelReportRow */
/** @typedef {import('../../protocol/reports').SkuInterestReport} SkuInterestReport */
/** @typedef {import('../../protocol/reports').StockingReport} StockingReport */
/** @typedef {import('../../protocol/reports').SkuReportRow} SkuReportRow */
/** @typedef {import('../../protocol/staff').LeadJson} LeadJson */
/** @typedef {import('../../protocol/staff').LeadStatus} LeadStatus */
/** @typedef {{ site: string, from: string, to: string }} Range */

/**
 * GET /api/v1/reports/channels
 * @param {Range & { by?: 'channel' | 'campaign' | 'promoter' | 'store', attribution?: 'last' | 'first' }} q
 * @returns {Promise<ChannelReport>}
 */
export const channelReport = (q) => api('/reports/channels', { query: q });

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
