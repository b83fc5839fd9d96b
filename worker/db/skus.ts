// SKUs of a site: the distinct SKUs of its sku_pairs (every SKU a page of the
// site has shown, written by the fold: worker/rollups/sku-totals.ts), for the
// store workspace's deal form. Read in key order from the primary key's prefix.

/** Up to `limit` distinct SKUs of the site, sorted; one more is read to tell whether there are more. */
export async function siteSkus(db: D1Database, siteKey: string, limit: number): Promise<{ skus: string[]; truncated: boolean }> {
  const { results } = await db
    .prepare('SELECT DISTINCT sku FROM sku_pairs WHERE site_key = ?1 ORDER BY sku LIMIT ?2')
    .bind(siteKey, limit + 1)
    .all<{ sku: string }>();
  return { skus: results.slice(0, limit).map((r) => r.sku), truncated: results.length > limit };
}
