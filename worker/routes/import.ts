// POST /api/v1/{deals,arrivals}/import: the one route shape of both imports
// (flows/import.ts does the work): the site from the query, each row's store
// checked against the token, the file read as CSV (UTF-8 or GBK) or JSON.
import type { Hono } from 'hono';
import { importExample } from '../../protocol/examples';
import { ImportQuery } from '../../protocol/staff';
import { importArrivals, importDeals } from '../flows/import';
import { readImport } from '../flows/import-rows';
import { describe } from '../middleware/describe';
import { site, type SiteEnv } from '../middleware/site';
import { query } from '../middleware/validate';
import { assertStoreOf, waitUntilOf } from './scope';

const KINDS = {
  deals: { run: importDeals, headers: '订单号, 门店, 预约码, 金额, 预算, 商品, 成交日期' },
  arrivals: { run: importArrivals, headers: '门店, 预约码, 到店日期' },
};

export function importRoute(router: Hono<SiteEnv>, kind: keyof typeof KINDS): void {
  const { run, headers } = KINDS[kind];
  router.post(
    '/import',
    describe({
      tag: 'Store staff', auth: 'store', summary: `Import ${kind} from a CRM or POS export (CSV in UTF-8 or GBK, or JSON), with a dry run`,
      description: `CSV headers in Chinese or English (${headers}); CSV money in yuan, JSON money in fen. \`dryRun=true\` checks every row and writes nothing. Each row is recorded as a single request would be; a bad row is reported and the others go in; importing the same file twice adds nothing. At most 1000 rows and 1 MB.`,
      ok: { example: importExample },
      errors: { 413: 'Over 1 MB' },
    }),
    query(ImportQuery),
    site('query'),
    async (c) => {
      const s = c.get('site');
      const ctx = { db: c.env.DB, site: s, dryRun: c.req.valid('query').dryRun, checkStore: (id: string) => assertStoreOf(c, s, id), waitUntil: waitUntilOf(c) };
      return c.json(await run(ctx, await readImport(c.req.raw)));
    },
  );
}
